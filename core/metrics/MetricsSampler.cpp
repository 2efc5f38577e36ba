#include "core/metrics/MetricsSampler.h"

#include <algorithm>
#include <cmath>

namespace headroom::metrics {

MetricsSampler::MetricsSampler(Duration window)
    : m_window(window)
{
}

void MetricsSampler::dropOld(TimePoint now)
{
    const TimePoint horizon = now - m_window;
    // Keep one sample at or before the horizon so the rate spans the full window.
    while (m_samples.size() > 1 && m_samples[1].at <= horizon)
        m_samples.pop_front();
    while (!m_latencies.empty() && m_latencies.front().first <= horizon)
        m_latencies.pop_front();
}

void MetricsSampler::recordLatency(TimePoint now, Duration latency)
{
    m_latencies.emplace_back(now, latency);
    // Pruned here too, not only when sampled: between samples the window's
    // latencies are all that the percentiles read.
    const TimePoint horizon = now - m_window;
    while (!m_latencies.empty() && (m_latencies.front().first <= horizon || m_latencies.size() > kMaxLatencies))
        m_latencies.pop_front();
}

void MetricsSampler::addSample(TimePoint now, const LaneCounters &counters)
{
    m_samples.push_back({now, counters});
    dropOld(now);
}

template <typename F>
double MetricsSampler::ratePerS(F field) const
{
    if (m_samples.size() < 2)
        return 0.0;
    const Sample &first = m_samples.front();
    const Sample &last = m_samples.back();
    // Over the whole trailing window even when the samples span less of it
    // (a run's first second): nothing came before the first sample, and a
    // burst the limit allows per window read over half of it would show
    // twice the limit, as if the run had broken it.
    const double seconds = std::max(std::chrono::duration<double>(last.at - first.at).count(),
                                    std::chrono::duration<double>(m_window).count());
    if (seconds <= 0)
        return 0.0;
    return double(field(last.counters) - field(first.counters)) / seconds;
}

double MetricsSampler::sentPerS() const
{
    return ratePerS([](const LaneCounters &c) { return c.requestsSent; });
}

double MetricsSampler::donePerS() const
{
    return ratePerS([](const LaneCounters &c) { return c.callsDone; });
}

double MetricsSampler::rowsPerS() const
{
    return ratePerS([](const LaneCounters &c) { return c.rowsDone; });
}

double MetricsSampler::throttledPerS() const
{
    return ratePerS([](const LaneCounters &c) { return c.responses429; });
}

double MetricsSampler::latencyPercentileMs(double percentile) const
{
    if (m_latencies.empty())
        return 0.0;
    m_scratch.clear();
    m_scratch.reserve(m_latencies.size());
    for (const auto &entry : m_latencies)
        m_scratch.push_back(entry.second);
    const double p = std::clamp(percentile, 0.0, 100.0) / 100.0;
    const auto index = size_t(std::ceil(p * double(m_scratch.size()))) - (p > 0 ? 1 : 0);
    auto nth = m_scratch.begin() + std::ptrdiff_t(std::min(index, m_scratch.size() - 1));
    std::nth_element(m_scratch.begin(), nth, m_scratch.end());
    return std::chrono::duration<double, std::milli>(*nth).count();
}

} // namespace headroom::metrics
