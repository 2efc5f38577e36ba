#pragma once

#include "core/clock/Clock.h"
#include "core/metrics/LaneCounters.h"

#include <deque>
#include <vector>

namespace headroom::metrics {

// Turns cumulative counters and recent latencies into per-second rates and
// percentiles over a trailing window (default 1 s). Pure: the caller says when.
class MetricsSampler
{
public:
    // The most latencies kept for the percentiles: the window's at up to
    // 8k answers a second. A run's memory must not grow with its length, even
    // when no one samples (a paused display, a lane that is never shown).
    static constexpr size_t kMaxLatencies = 8192;

    explicit MetricsSampler(Duration window = std::chrono::seconds(1));

    void recordLatency(TimePoint now, Duration latency);
    // Feeds the counters as they are at `now`; call at a fixed rate.
    void addSample(TimePoint now, const LaneCounters &counters);

    double sentPerS() const;
    double donePerS() const;
    double rowsPerS() const;
    double throttledPerS() const;
    // Percentile (0..100) of latencies recorded inside the window, in ms; 0 if none.
    double latencyPercentileMs(double percentile) const;
    // What the sampler holds now (for the tests that keep it bounded).
    size_t retainedLatencies() const { return m_latencies.size(); }
    size_t retainedSamples() const { return m_samples.size(); }

private:
    struct Sample
    {
        TimePoint at;
        LaneCounters counters;
    };
    template <typename F>
    double ratePerS(F field) const;
    void dropOld(TimePoint now);

    Duration m_window;
    std::deque<Sample> m_samples;
    std::deque<std::pair<TimePoint, Duration>> m_latencies;
    mutable std::vector<Duration> m_scratch;
};

} // namespace headroom::metrics
