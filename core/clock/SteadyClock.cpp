#include "core/clock/SteadyClock.h"

namespace headroom {

TimePoint SteadyClock::now() const
{
    return std::chrono::steady_clock::now();
}

WallTime SteadyClock::wallNow() const
{
    return std::chrono::system_clock::now();
}

const SteadyClock &SteadyClock::instance()
{
    static const SteadyClock clock;
    return clock;
}

} // namespace headroom
