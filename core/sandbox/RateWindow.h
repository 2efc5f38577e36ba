#pragma once

#include "sandbox/ApiPolicy.h"
#include "sandbox/RateDecision.h"

#include <deque>

namespace headroom::sandbox {

// The server-side limit of one scope (workspace, token, broadcast): a sliding
// log (at most `limit` admitted in any (now - window, now]) or a fixed window
// that opens with its first request (rate-limiter-flexible semantics, where a
// rejected request is still consumed). Pure: it is told the time.
class RateWindow
{
public:
    RateWindow(int limit, Duration window, WindowKind kind);

    RateDecision admit(TimePoint now);

    int limit() const { return m_limit; }
    Duration window() const { return m_window; }
    WindowKind kind() const { return m_kind; }

private:
    RateDecision admitSliding(TimePoint now);
    RateDecision admitFixed(TimePoint now);

    int m_limit;
    Duration m_window;
    WindowKind m_kind;
    std::deque<TimePoint> m_admitted; // sliding: admission times inside the window
    TimePoint m_fixedStart{};
    int m_fixedConsumed = 0;
    bool m_fixedOpen = false;
};

} // namespace headroom::sandbox
