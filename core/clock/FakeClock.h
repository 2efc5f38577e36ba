#pragma once

#include "core/clock/Clock.h"

namespace headroom {

// A clock that only moves when a test says so. Steady and wall time advance
// together, so a header date "5 s from now" stays 5 s away until advanced.
class FakeClock final : public Clock
{
public:
    // Starts far from the epoch so "now - window" never underflows, at a fixed
    // wall time (2026-01-01T00:00:00Z) so date parsing is reproducible.
    FakeClock();

    TimePoint now() const override { return m_now; }
    WallTime wallNow() const override { return m_wall; }

    void advance(Duration by);
    // Moves to an absolute steady instant; never backwards (a steady clock can't).
    void advanceTo(TimePoint to);
    // Changes only the wall clock, as NTP or a user might.
    void setWallNow(WallTime wall) { m_wall = wall; }

private:
    TimePoint m_now;
    WallTime m_wall;
};

} // namespace headroom
