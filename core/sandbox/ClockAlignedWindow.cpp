#include "core/sandbox/ClockAlignedWindow.h"

#include <algorithm>

namespace headroom::sandbox {

ClockAlignedWindow::ClockAlignedWindow(Duration window)
    : m_window(std::max(window, Duration(1)))
{
}

RateDecision ClockAlignedWindow::admit(TimePoint now, WallTime wallNow, int limit)
{
    const Duration sinceEpoch = std::chrono::duration_cast<Duration>(wallNow.time_since_epoch());
    const qint64 index = sinceEpoch / m_window;
    const Duration intoWindow = sinceEpoch - index * m_window;
    if (index != m_index) {
        m_index = index;
        m_count = 0;
        m_steadyStart = now - intoWindow;
    }
    RateDecision d;
    d.limit = limit;
    d.window = m_window;
    d.allowed = m_count < limit;
    if (d.allowed)
        ++m_count;
    d.consumed = m_count;
    d.remaining = std::max(0, limit - m_count);
    d.resetIn = m_window - intoWindow;
    d.retryIn = d.allowed ? Duration::zero() : d.resetIn;
    d.fixedWindowStart = m_steadyStart;
    return d;
}

} // namespace headroom::sandbox
