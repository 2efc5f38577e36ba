#pragma once

#include "core/sandbox/RateDecision.h"

namespace headroom::sandbox {

// A token bucket of `limit` tokens refilled at limit/period, computed as GCRA
// the way redis-cell does (brandur/redis-cell, src/cell/mod.rs:
// RateLimiter::rate_limit with max_burst = limit - 1): one stored theoretical
// arrival time, emission interval T = period/limit, delay variation tolerance
// tau = T·limit; a request is refused when now < max(TAT, now) + T - tau, and
// a refused request changes nothing. Pure: it is told the time.
class GcraBucket
{
public:
    explicit GcraBucket(Duration period);

    RateDecision admit(TimePoint now, int limit);

private:
    Duration m_period;
    TimePoint m_tat{};
    bool m_hasTat = false;
};

} // namespace headroom::sandbox
