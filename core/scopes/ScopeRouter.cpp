#include "core/scopes/ScopeRouter.h"

#include <algorithm>

namespace headroom::scopes {

ScopeRouter::ScopeRouter(ScopeSet scopes, int maxKeys)
    : m_scopes(std::move(scopes))
    , m_maxKeys(std::max(1, maxKeys))
{
}

ScopeRoute ScopeRouter::route(const QString &method, const QString &path)
{
    const QList<ScopeMatch> matches = m_scopes.matching(method, path);
    ScopeRoute route;
    // The set lists main first; a request matched by a scope of its own goes
    // to that scope's lane, and main (when it covers every request) is a parent.
    qsizetype laneAt = 0;
    for (qsizetype i = 0; i < matches.size(); ++i) {
        if (matches.at(i).scope != ScopeSet::mainName()) {
            laneAt = i;
            break;
        }
    }
    if (matches.isEmpty()) {
        route.lane = {ScopeSet::mainName(), ScopeSet::mainName(), m_scopes.main().windows()};
        return route;
    }
    route.lane = bounded(matches.at(laneAt));
    for (qsizetype i = 0; i < matches.size(); ++i) {
        if (i != laneAt)
            route.parents << bounded(matches.at(i));
    }
    return route;
}

ScopeMatch ScopeRouter::bounded(ScopeMatch match)
{
    if (m_keys.contains(match.key))
        return match;
    // A scope without a key variable has one key whatever the bound; only a
    // keyed scope's further values share its overflow key.
    const bool keyed = match.key != match.scope;
    if (keyed && m_keys.size() >= m_maxKeys)
        match.key = overflowKey(match.scope);
    m_keys.insert(match.key);
    return match;
}

} // namespace headroom::scopes
