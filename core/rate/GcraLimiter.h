#pragma once

#include "core/rate/Limiter.h"

namespace headroom::rate {

// A token bucket as GCRA keeps it: one "theoretical arrival time". Sustains
// `ratePerSecond`, lets `burst` extra requests go at once after a quiet spell.
class GcraLimiter final : public Limiter
{
public:
    GcraLimiter(double ratePerSecond, int burst = 0);

    QString name() const override { return QStringLiteral("gcra"); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onResponse(TimePoint now, const ResponseObservation &observation) override;
    double currentRate(TimePoint now) const override;

    void setRate(double ratePerSecond);
    double rate() const { return m_rate; }
    int burst() const { return m_burst; }
    // Requests that may go at once at `now` (0 .. burst + 1), for the headroom chart.
    int tokens(TimePoint now) const;

private:
    double m_rate;
    int m_burst;
    Duration m_interval;  // T
    Duration m_tolerance; // tau = T * burst
    TimePoint m_tat{};
};

} // namespace headroom::rate
