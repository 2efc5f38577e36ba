#pragma once

#include <chrono>

namespace headroom {

using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::nanoseconds;
using WallTime = std::chrono::system_clock::time_point;

// The single source of "now" for every pure decision in core: limiters, retry
// policy and journal replay take a Clock so tests can drive them in virtual time.
// Steady time orders events; wall time is only for turning HTTP dates
// (Retry-After, X-RateLimit-Reset) into delays.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    virtual WallTime wallNow() const = 0;

    // Wall-clock instant expressed on the steady timeline, for header dates.
    TimePoint steadyFromWall(WallTime wall) const
    {
        return now() + std::chrono::duration_cast<Duration>(wall - wallNow());
    }
};

} // namespace headroom
