#pragma once

#include "core/sandbox/RateDecision.h"

#include <QtGlobal>

namespace headroom::sandbox {

// A fixed window aligned to the wall clock, as Kong's rate-limiting plugin
// counts (Kong/kong, kong/plugins/rate-limiting/policies/init.lua: counters
// keyed by the period start that kong.tools.timestamp.get_timestamps floors
// the current time to; handler.lua answers 429 before incrementing, so a
// rejected request is not counted). Every window starts at a multiple of its
// length since the Unix epoch, whenever the client starts. Pure: it is told
// both times (steady for the stats, wall for the alignment).
class ClockAlignedWindow
{
public:
    explicit ClockAlignedWindow(Duration window);

    RateDecision admit(TimePoint now, WallTime wallNow, int limit);

private:
    Duration m_window;
    qint64 m_index = -1;       // which window since the epoch the count belongs to
    int m_count = 0;           // accepted in that window
    TimePoint m_steadyStart{}; // that window's start on the steady clock, fixed at its first request
                               // so every request of the window reports the same one
};

} // namespace headroom::sandbox
