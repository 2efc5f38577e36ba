#include "core/rate/ConcurrencyLimit.h"

#include <algorithm>

namespace headroom::rate {

ConcurrencyLimit::ConcurrencyLimit(int maxInFlight)
    : m_max(std::max(1, maxInFlight))
{
}

void ConcurrencyLimit::setMaxInFlight(int maxInFlight)
{
    m_max = std::max(1, maxInFlight);
}

TimePoint ConcurrencyLimit::earliestSend(TimePoint now) const
{
    return m_inFlight < m_max ? now : TimePoint::max();
}

void ConcurrencyLimit::onSend(TimePoint now)
{
    Q_UNUSED(now);
    ++m_inFlight;
}

void ConcurrencyLimit::onResponse(TimePoint now, const ResponseObservation &observation)
{
    Q_UNUSED(now);
    Q_UNUSED(observation);
    m_inFlight = std::max(0, m_inFlight - 1);
}

} // namespace headroom::rate
