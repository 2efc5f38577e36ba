#include "core/rate/LimiterStack.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::rate {

Limiter *LimiterStack::add(std::unique_ptr<Limiter> limiter)
{
    Limiter *raw = limiter.get();
    if (!raw)
        return nullptr;
    m_owned.push_back(std::move(limiter));
    m_limiters.push_back(raw);
    return raw;
}

void LimiterStack::addShared(Limiter *limiter)
{
    if (limiter)
        m_limiters.push_back(limiter);
}

TimePoint LimiterStack::earliestSend(TimePoint now) const
{
    return std::max(m_pausedUntil, earliestSendUnpaused(now));
}

TimePoint LimiterStack::earliestSendUnpaused(TimePoint now) const
{
    TimePoint at = now;
    for (const Limiter *l : m_limiters)
        at = std::max(at, l->earliestSend(now));
    return at;
}

void LimiterStack::onSend(TimePoint now)
{
    for (Limiter *l : m_limiters)
        l->onSend(now);
}

void LimiterStack::onWire(TimePoint sentAt, TimePoint wireAt)
{
    for (Limiter *l : m_limiters)
        l->onWire(sentAt, wireAt);
}

void LimiterStack::onResponse(TimePoint now, const ResponseObservation &observation)
{
    for (Limiter *l : m_limiters)
        l->onResponse(now, observation);
}

double LimiterStack::currentRate(TimePoint now) const
{
    double lowest = std::numeric_limits<double>::infinity();
    for (const Limiter *l : m_limiters) {
        const double r = l->currentRate(now);
        if (r >= 0.0)
            lowest = std::min(lowest, r);
    }
    return std::isinf(lowest) ? -1.0 : lowest;
}

void LimiterStack::pauseUntil(TimePoint until, const QString &reason)
{
    if (until > m_pausedUntil) {
        m_pausedUntil = until;
        m_pauseReason = reason;
    }
}

void LimiterStack::clearPause()
{
    m_pausedUntil = TimePoint{};
    m_pauseReason.clear();
}

LimiterStack::Binding LimiterStack::binding(TimePoint now) const
{
    Binding b{now, QString(), QString()};
    if (m_pausedUntil > now) {
        b.until = m_pausedUntil;
        b.limiter = QStringLiteral("pause");
        b.reason = m_pauseReason;
    }
    for (const Limiter *l : m_limiters) {
        const TimePoint at = l->earliestSend(now);
        if (at > b.until) {
            b.until = at;
            b.limiter = l->name();
            b.reason.clear();
        }
    }
    return b;
}

} // namespace headroom::rate
