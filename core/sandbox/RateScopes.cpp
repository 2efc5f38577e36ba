#include "core/sandbox/RateScopes.h"

namespace headroom::sandbox {

namespace {

WallTime wallFromSteady(TimePoint now)
{
    return WallTime(std::chrono::duration_cast<WallTime::duration>(now.time_since_epoch()));
}

} // namespace

RateDecision RateScopes::admit(const QString &scope, const ApiPolicy &policy, TimePoint now)
{
    return admit(scope, policy, now, wallFromSteady(now));
}

RateDecision RateScopes::admit(const QString &key, const ApiPolicy &policy, TimePoint now, WallTime wallNow)
{
    auto it = m_scopes.find(key);
    if (it == m_scopes.end() || !it->policy.sameLimitAs(policy)) {
        it = m_scopes.insert(key, Scope{policy, RateWindow(policy.limit, policy.window, policy.kind, policy.limitSchedule),
                                        NeighbourLoad(policy.neighbourPerSecond)});
    }
    it->policy = policy;
    it->neighbour.start(now);
    runNeighbour(key, *it, now, wallNow);
    return it->window.admit(now, wallNow);
}

void RateScopes::advance(TimePoint now, WallTime wallNow)
{
    for (auto it = m_scopes.begin(); it != m_scopes.end(); ++it)
        runNeighbour(it.key(), it.value(), now, wallNow);
}

bool RateScopes::hasNeighbours() const
{
    for (const Scope &scope : m_scopes) {
        if (scope.neighbour.active())
            return true;
    }
    return false;
}

void RateScopes::runNeighbour(const QString &key, Scope &scope, TimePoint now, WallTime wallNow)
{
    if (!scope.neighbour.active())
        return;
    for (const TimePoint at : scope.neighbour.due(now)) {
        const WallTime wallAt = wallNow - std::chrono::duration_cast<WallTime::duration>(now - at);
        const RateDecision decision = scope.window.admit(at, wallAt);
        if (m_neighbourSink)
            m_neighbourSink(key, scope.policy, at, decision);
    }
}

} // namespace headroom::sandbox
