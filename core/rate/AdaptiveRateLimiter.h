#pragma once

#include "rate/Limiter.h"

#include <QJsonObject>

namespace headroom::rate {

// Finds a limit nobody told us, from 429s alone, the way the AWS SDKs'
// "adaptive" retry mode does (CUBIC: on a throttle the rate drops to β·rate and
// w_max remembers where it hurt; then rate = C·(t − K)³ + w_max climbs back and,
// past w_max, keeps probing upward, so a limit raised later is found too).
//
// Two departures from botocore, both to spend fewer 429s: it slow-starts
// (doubling from `initialRate`) instead of sending unthrottled until the first
// 429, and it reacts once per round trip — a 429 for a request sent before the
// last decrease says nothing new.
class AdaptiveRateLimiter final : public Limiter
{
public:
    struct Config
    {
        double beta = 0.7;
        // Once two throttles in a row hit the same ceiling (within
        // ±`sameCeiling`), the limit is a fixed one: cut less, so the rate
        // spends less of each cycle below it (hidden 60/s: 0.92 -> 0.96).
        // The band is narrower than 1 - settledBeta: a throttle while still
        // climbing back from a shallow cut means the limit dropped, and the
        // next cut is a deep one again.
        double settledBeta = 0.9;
        double sameCeiling = 0.05;
        double scaleC = 0.4;
        double minRate = 0.5;            // never slower than this (requests/s)
        double maxRate = 100000.0;
        double initialRate = 5.0;        // slow-start begins here
        Duration doublingTime = std::chrono::milliseconds(500);
        Duration measureBucket = std::chrono::milliseconds(500);
        double smoothing = 0.8;          // weight of the newest bucket
    };

    AdaptiveRateLimiter();
    explicit AdaptiveRateLimiter(Config config);

    QString name() const override { return QStringLiteral("adaptive"); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onResponse(TimePoint now, const ResponseObservation &observation) override;
    double currentRate(TimePoint now) const override { Q_UNUSED(now); return m_fillRate; }

    bool hasThrottled() const { return m_throttled; }
    double measuredRate() const { return m_measured; }
    double lastMaxRate() const { return m_wMax; }
    bool hasSettled() const { return m_settled; } // the last two throttles met the same ceiling

    // The learned rate survives a restart (wall-clock free: a rate is a rate).
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state, TimePoint now);

private:
    void measure(TimePoint now);
    void setFillRate(double rate);

    Config m_config;
    double m_fillRate;
    Duration m_interval{};
    TimePoint m_tat{};

    // measured send rate
    TimePoint m_bucketStart{};
    int m_bucketCount = 0;
    double m_measured = 0.0;
    bool m_haveMeasured = false;

    // slow start
    bool m_started = false;
    TimePoint m_growthFrom{};

    // CUBIC
    bool m_throttled = false;
    bool m_settled = false;
    double m_wMax = 0.0;
    double m_k = 0.0;
    TimePoint m_lastThrottle{};
};

} // namespace headroom::rate
