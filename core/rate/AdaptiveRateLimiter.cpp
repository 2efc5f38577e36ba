#include "rate/AdaptiveRateLimiter.h"

#include <algorithm>
#include <cmath>

namespace headroom::rate {

namespace {
double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}
} // namespace

AdaptiveRateLimiter::AdaptiveRateLimiter()
    : AdaptiveRateLimiter(Config{})
{
}

AdaptiveRateLimiter::AdaptiveRateLimiter(Config config)
    : m_config(config)
    , m_fillRate(0.0)
{
    setFillRate(m_config.initialRate);
}

void AdaptiveRateLimiter::setFillRate(double rate)
{
    m_fillRate = std::clamp(rate, m_config.minRate, m_config.maxRate);
    m_interval = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(1.0 / m_fillRate));
}

TimePoint AdaptiveRateLimiter::earliestSend(TimePoint now) const
{
    return std::max(now, m_tat);
}

void AdaptiveRateLimiter::measure(TimePoint now)
{
    if (m_bucketStart == TimePoint{})
        m_bucketStart = now;
    if (now - m_bucketStart > m_config.measureBucket * 20) { // long idle: the old rate means nothing
        m_measured = 0.0;
        m_haveMeasured = true;
        m_bucketCount = 0;
        m_bucketStart = now;
        return;
    }
    while (now >= m_bucketStart + m_config.measureBucket) {
        const double rate = m_bucketCount / seconds(m_config.measureBucket);
        m_measured = m_haveMeasured ? m_config.smoothing * rate + (1.0 - m_config.smoothing) * m_measured : rate;
        m_haveMeasured = true;
        m_bucketCount = 0;
        m_bucketStart += m_config.measureBucket;
    }
}

void AdaptiveRateLimiter::onSend(TimePoint now)
{
    measure(now);
    ++m_bucketCount;
    if (!m_started) {
        m_started = true;
        m_growthFrom = now;
    }
    if (!m_throttled) {
        // Slow start: double every `doublingTime`, but never run far ahead of
        // what we actually manage to send (a concurrency cap may be binding).
        const double doublings = seconds(now - m_growthFrom) / seconds(m_config.doublingTime);
        double rate = m_config.initialRate * std::pow(2.0, std::min(doublings, 40.0));
        if (m_haveMeasured)
            rate = std::min(rate, std::max(m_config.initialRate, 2.0 * m_measured));
        setFillRate(rate);
    }
    m_tat = std::max(m_tat, now) + m_interval;
}

void AdaptiveRateLimiter::onResponse(TimePoint now, const ResponseObservation &observation)
{
    measure(now);
    const TimePoint sentAt = now - std::max(Duration::zero(), observation.latency);
    if (observation.status == 429) {
        if (m_throttled && sentAt < m_lastThrottle)
            return; // sent before we slowed down: old news
        double rateToUse = m_haveMeasured && m_measured > 0.0 ? m_measured : m_fillRate;
        // The current bucket tells of a burst the smoothed rate has not seen yet.
        const double inBucket = seconds(now - m_bucketStart);
        if (inBucket >= 0.1)
            rateToUse = std::max(rateToUse, m_bucketCount / inBucket);
        if (m_throttled)
            rateToUse = std::min(rateToUse, m_fillRate);
        m_settled = m_throttled && std::abs(rateToUse - m_wMax) <= m_config.sameCeiling * m_wMax;
        const double beta = m_settled ? m_config.settledBeta : m_config.beta;
        m_wMax = rateToUse;
        m_k = std::cbrt(m_wMax * (1.0 - beta) / m_config.scaleC);
        m_lastThrottle = now;
        m_throttled = true;
        setFillRate(rateToUse * beta);
        m_tat = std::min(m_tat, now + m_interval);
        return;
    }
    if (!m_throttled || observation.transportError || observation.timedOut || observation.status == 0)
        return;
    const double t = seconds(now - m_lastThrottle);
    double rate = m_config.scaleC * std::pow(t - m_k, 3.0) + m_wMax;
    if (m_haveMeasured && m_measured > 0.0)
        rate = std::min(rate, 2.0 * m_measured);
    setFillRate(rate);
}

QJsonObject AdaptiveRateLimiter::saveState() const
{
    return QJsonObject{{QStringLiteral("kind"), name()},
                       {QStringLiteral("throttled"), m_throttled},
                       {QStringLiteral("rate"), m_fillRate},
                       {QStringLiteral("wMax"), m_wMax}};
}

void AdaptiveRateLimiter::restoreState(const QJsonObject &state, TimePoint now)
{
    if (state.value(QStringLiteral("kind")).toString() != name())
        return;
    const double rate = state.value(QStringLiteral("rate")).toDouble(-1);
    const double wMax = state.value(QStringLiteral("wMax")).toDouble(-1);
    if (!state.value(QStringLiteral("throttled")).toBool() || !(rate > 0) || !(wMax > 0) || !std::isfinite(rate)
        || !std::isfinite(wMax))
        return;
    // Resume as if a throttle had just happened at the learned ceiling.
    m_throttled = true;
    m_wMax = std::min(wMax, m_config.maxRate);
    m_k = std::cbrt(m_wMax * (1.0 - m_config.beta) / m_config.scaleC);
    m_lastThrottle = now;
    m_started = true;
    m_growthFrom = now;
    setFillRate(m_wMax * m_config.beta);
}

} // namespace headroom::rate
