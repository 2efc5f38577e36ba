#include "core/rate/GcraLimiter.h"

#include <algorithm>

namespace headroom::rate {

namespace {
Duration intervalFor(double rate)
{
    const double safe = std::clamp(rate, 1e-6, 1e9);
    return std::max(Duration(1), std::chrono::duration_cast<Duration>(std::chrono::duration<double>(1.0 / safe)));
}
} // namespace

GcraLimiter::GcraLimiter(double ratePerSecond, int burst)
    : m_burst(std::max(0, burst))
{
    setRate(ratePerSecond);
}

void GcraLimiter::setRate(double ratePerSecond)
{
    m_rate = std::clamp(ratePerSecond, 1e-6, 1e9);
    m_interval = intervalFor(m_rate);
    m_tolerance = m_interval * m_burst;
}

TimePoint GcraLimiter::earliestSend(TimePoint now) const
{
    // Allowed when the TAT is no more than tau ahead of now.
    if (m_tat == TimePoint{})
        return now;
    return std::max(now, m_tat - m_tolerance);
}

void GcraLimiter::onSend(TimePoint now)
{
    m_tat = std::max(m_tat, now) + m_interval;
}

void GcraLimiter::onResponse(TimePoint now, const ResponseObservation &observation)
{
    Q_UNUSED(now);
    Q_UNUSED(observation);
}

int GcraLimiter::tokens(TimePoint now) const
{
    // One more send is allowed while the TAT is at most tau ahead of now.
    const Duration ahead = std::max(Duration::zero(), m_tat - now);
    const auto used = (ahead + m_interval - Duration(1)) / m_interval; // whole intervals still owed
    return int(std::clamp<qint64>(qint64(m_burst) + 1 - qint64(used), 0, qint64(m_burst) + 1));
}

double GcraLimiter::currentRate(TimePoint now) const
{
    Q_UNUSED(now);
    return m_rate;
}

} // namespace headroom::rate
