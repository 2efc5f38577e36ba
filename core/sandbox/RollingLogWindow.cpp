#include "core/sandbox/RollingLogWindow.h"

#include <algorithm>

namespace headroom::sandbox {

RollingLogWindow::RollingLogWindow(Duration window)
    : m_window(std::max(window, Duration(1)))
{
}

RateDecision RollingLogWindow::admit(TimePoint now, int limit)
{
    // rolling-rate-limiter keeps timestamps t > now - interval, then adds this attempt.
    while (!m_attempts.empty() && m_attempts.front() <= now - m_window)
        m_attempts.pop_front();
    m_attempts.push_back(now);

    const int count = int(m_attempts.size());
    RateDecision d;
    d.limit = limit;
    d.window = m_window;
    d.allowed = count <= limit;
    d.consumed = count;
    d.remaining = std::max(0, limit - count);
    d.resetIn = m_attempts.front() + m_window - now;
    // Its microsecondsUntilUnblocked: the window stops being full when the
    // attempt `limit` places back leaves it — if nothing else is attempted.
    const Duration untilUnblocked = count >= limit
                                        ? m_attempts[size_t(count - limit)] + m_window - now
                                        : Duration::zero();
    d.retryIn = d.allowed ? Duration::zero() : untilUnblocked;
    return d;
}

} // namespace headroom::sandbox
