#pragma once

#include "core/clock/Clock.h"

namespace headroom {

// The real clock: std::chrono::steady_clock for ordering, system_clock for dates.
class SteadyClock final : public Clock
{
public:
    TimePoint now() const override;
    WallTime wallNow() const override;

    // A process-wide instance for code that has no clock injected.
    static const SteadyClock &instance();
};

} // namespace headroom
