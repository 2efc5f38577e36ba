#pragma once

#include "core/sandbox/RateDecision.h"

#include <deque>

namespace headroom::sandbox {

// A rolling window that records every attempt, rejected ones included, as
// rolling-rate-limiter does (peterkhayes/rolling-rate-limiter, src/index.ts:
// InMemoryRateLimiter.getTimestamps pushes the new timestamp before
// calculateInfo decides, and blocks when more than maxInInterval lie in
// (now - interval, now]). A client that keeps hammering keeps itself blocked:
// only a pause of a whole window clears the log. Pure: it is told the time.
class RollingLogWindow
{
public:
    explicit RollingLogWindow(Duration window);

    RateDecision admit(TimePoint now, int limit);

private:
    Duration m_window;
    std::deque<TimePoint> m_attempts; // accepted and rejected, inside the window
};

} // namespace headroom::sandbox
