#include "core/sandbox/GcraBucket.h"

#include <algorithm>

namespace headroom::sandbox {

GcraBucket::GcraBucket(Duration period)
    : m_period(std::max(period, Duration(1)))
{
}

RateDecision GcraBucket::admit(TimePoint now, int limit)
{
    limit = std::max(1, limit);
    const Duration emission = std::max(Duration(1), m_period / limit);
    const Duration tolerance = emission * limit;
    const TimePoint tat = m_hasTat ? m_tat : now;
    const TimePoint newTat = std::max(tat, now) + emission;
    const Duration diff = now - (newTat - tolerance);

    RateDecision d;
    d.limit = limit;
    d.window = m_period;
    Duration ttl;
    // redis-cell compares whole seconds (diff.num_seconds() < 0), which lets
    // through requests up to a second early; the exact comparison is the
    // algorithm it documents, and the one a sub-second period needs.
    if (diff < Duration::zero()) {
        d.allowed = false;
        d.retryIn = -diff;
        ttl = tat - now;
    } else {
        m_tat = newTat;
        m_hasTat = true;
        ttl = newTat - now;
    }
    const Duration next = tolerance - ttl;
    d.remaining = next > -emission ? int(next / emission) : 0;
    d.remaining = std::max(0, d.remaining);
    d.consumed = limit - d.remaining;
    d.resetIn = ttl;
    return d;
}

} // namespace headroom::sandbox
