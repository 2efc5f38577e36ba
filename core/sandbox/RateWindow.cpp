#include "core/sandbox/RateWindow.h"

#include <algorithm>

namespace headroom::sandbox {

RateWindow::RateWindow(int limit, Duration window, WindowKind kind, const QList<LimitStep> &schedule)
    : m_limit(std::max(1, limit))
    , m_window(std::max(window, Duration(1)))
    , m_kind(kind)
    , m_schedule(schedule)
    , m_rolling(m_window)
    , m_clock(m_window)
    , m_gcra(m_window)
{
}

int RateWindow::limitAt(TimePoint now) const
{
    if (!m_started)
        return m_limit;
    const Duration since = now - m_firstAt;
    for (const LimitStep &step : m_schedule) {
        if (since >= step.from && since < step.to)
            return std::max(1, step.limit);
    }
    return m_limit;
}

RateDecision RateWindow::admit(TimePoint now)
{
    return admit(now, WallTime(std::chrono::duration_cast<WallTime::duration>(now.time_since_epoch())));
}

RateDecision RateWindow::admit(TimePoint now, WallTime wallNow)
{
    if (!m_started) {
        m_started = true;
        m_firstAt = now;
    }
    const int limit = limitAt(now);
    switch (m_kind) {
    case WindowKind::Fixed:
        return admitFixed(now, limit);
    case WindowKind::Rolling:
        return m_rolling.admit(now, limit);
    case WindowKind::FixedClock:
        return m_clock.admit(now, wallNow, limit);
    case WindowKind::Gcra:
        return m_gcra.admit(now, limit);
    case WindowKind::Sliding:
        break;
    }
    return admitSliding(now, limit);
}

RateDecision RateWindow::admitSliding(TimePoint now, int limit)
{
    // The window is (now - window, now]: a request exactly one window older no longer counts.
    while (!m_admitted.empty() && m_admitted.front() <= now - m_window)
        m_admitted.pop_front();

    RateDecision d;
    d.limit = limit;
    d.window = m_window;
    d.allowed = int(m_admitted.size()) < limit;
    if (d.allowed)
        m_admitted.push_back(now);
    d.consumed = int(m_admitted.size());
    d.remaining = std::max(0, limit - d.consumed);
    const TimePoint oldest = m_admitted.empty() ? now : m_admitted.front();
    d.resetIn = oldest + m_window - now;
    // When the limit dropped below the count, more than the oldest must leave.
    const int excess = d.consumed - limit;
    d.retryIn = d.allowed ? Duration::zero()
                          : (excess >= 0 ? m_admitted[size_t(excess)] + m_window - now : d.resetIn);
    return d;
}

RateDecision RateWindow::admitFixed(TimePoint now, int limit)
{
    // MemoryStorage.incrby: a record whose expiresAt has passed is replaced by a new one.
    if (!m_fixedOpen || now >= m_fixedStart + m_window) {
        m_fixedOpen = true;
        m_fixedStart = now;
        m_fixedConsumed = 0;
    }
    ++m_fixedConsumed;

    RateDecision d;
    d.limit = limit;
    d.window = m_window;
    d.allowed = m_fixedConsumed <= limit;
    d.consumed = m_fixedConsumed;
    d.remaining = std::max(0, limit - m_fixedConsumed);
    d.resetIn = m_fixedStart + m_window - now;
    d.retryIn = d.allowed ? Duration::zero() : d.resetIn; // msBeforeNext
    d.fixedWindowStart = m_fixedStart;
    return d;
}

} // namespace headroom::sandbox
