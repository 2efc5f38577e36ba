#include "sandbox/RateWindow.h"

#include <algorithm>

namespace headroom::sandbox {

RateWindow::RateWindow(int limit, Duration window, WindowKind kind)
    : m_limit(std::max(1, limit))
    , m_window(std::max(window, Duration(1)))
    , m_kind(kind)
{
}

RateDecision RateWindow::admit(TimePoint now)
{
    return m_kind == WindowKind::Fixed ? admitFixed(now) : admitSliding(now);
}

RateDecision RateWindow::admitSliding(TimePoint now)
{
    // The window is (now - window, now]: a request exactly one window older no longer counts.
    while (!m_admitted.empty() && m_admitted.front() <= now - m_window)
        m_admitted.pop_front();

    RateDecision d;
    d.limit = m_limit;
    d.window = m_window;
    d.allowed = int(m_admitted.size()) < m_limit;
    if (d.allowed)
        m_admitted.push_back(now);
    d.consumed = int(m_admitted.size());
    d.remaining = std::max(0, m_limit - d.consumed);
    const TimePoint oldest = m_admitted.empty() ? now : m_admitted.front();
    d.resetIn = oldest + m_window - now;
    d.retryIn = d.allowed ? Duration::zero() : d.resetIn;
    return d;
}

RateDecision RateWindow::admitFixed(TimePoint now)
{
    if (!m_fixedOpen || now >= m_fixedStart + m_window) {
        m_fixedOpen = true;
        m_fixedStart = now;
        m_fixedConsumed = 0;
    }
    ++m_fixedConsumed;

    RateDecision d;
    d.limit = m_limit;
    d.window = m_window;
    d.allowed = m_fixedConsumed <= m_limit;
    d.consumed = m_fixedConsumed;
    d.remaining = std::max(0, m_limit - m_fixedConsumed);
    d.resetIn = m_fixedStart + m_window - now;
    d.retryIn = d.allowed ? Duration::zero() : d.resetIn;
    d.fixedWindowStart = m_fixedStart;
    return d;
}

} // namespace headroom::sandbox
