#pragma once

#include "core/sandbox/ApiPolicy.h"
#include "core/sandbox/ClockAlignedWindow.h"
#include "core/sandbox/GcraBucket.h"
#include "core/sandbox/RateDecision.h"
#include "core/sandbox/RollingLogWindow.h"

#include <deque>

namespace headroom::sandbox {

// The server-side limit of one scope (workspace, token, broadcast), counted
// the way its WindowKind says:
//   Sliding     at most `limit` admitted in any (now - window, now]
//   Fixed       a window opened by its first request, rejected requests still
//               consumed (rate-limiter-flexible: animir/node-rate-limiter-flexible,
//               lib/RateLimiterMemory.js consume() and
//               lib/component/MemoryStorage/MemoryStorage.js incrby(), whose
//               record expires at first + duration and counts every consume)
//   Rolling     RollingLogWindow (rejected attempts recorded too)
//   FixedClock  ClockAlignedWindow (windows aligned to the wall clock)
//   Gcra        GcraBucket (token bucket)
// The enforced limit follows the schedule, whose times count from the
// scope's first request. Pure: it is told the time.
class RateWindow
{
public:
    RateWindow(int limit, Duration window, WindowKind kind, const QList<LimitStep> &schedule = {});

    RateDecision admit(TimePoint now, WallTime wallNow);
    // For callers without a wall clock: the steady time stands in for it.
    RateDecision admit(TimePoint now);

    int limit() const { return m_limit; }
    Duration window() const { return m_window; }
    WindowKind kind() const { return m_kind; }
    // The limit enforced at `now`: the schedule's step covering it, else limit().
    int limitAt(TimePoint now) const;

private:
    RateDecision admitSliding(TimePoint now, int limit);
    RateDecision admitFixed(TimePoint now, int limit);

    int m_limit;
    Duration m_window;
    WindowKind m_kind;
    QList<LimitStep> m_schedule;
    TimePoint m_firstAt{};
    bool m_started = false;
    std::deque<TimePoint> m_admitted; // sliding: admission times inside the window
    TimePoint m_fixedStart{};
    int m_fixedConsumed = 0;
    bool m_fixedOpen = false;
    RollingLogWindow m_rolling;
    ClockAlignedWindow m_clock;
    GcraBucket m_gcra;
};

} // namespace headroom::sandbox
