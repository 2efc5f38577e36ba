#pragma once

#include "core/rate/Limiter.h"

#include <QJsonObject>

#include <deque>

namespace headroom::rate {

// At most `limit` requests in any window of `window`, as a sliding-window server
// counts them — so a client at full speed is never rejected by such a server.
//
// A server counts a request when it ARRIVES, not when we send it, and arrival
// lags sending by a varying uplink delay. If that delay varies by up to `margin`,
// two sends `window + margin` apart arrive at least `window` apart. So the rule
// kept here is: no `limit + 1` sends within `window + margin`. The margin is the
// uplink jitter, not the round-trip latency: server time spent after the limit
// check (the bulk of a slow response) does not matter. The cost is a rate of
// limit / (window + margin); 5 ms on a 1 s window is 0.5 %.
//
// A server that answers an idle request within a few ms (no latency of its
// own) cannot hide much time after its count, so when one of its answers takes
// longer, the request waited in its queue, very likely BEFORE it was counted:
// a burst of 60 requests into a busy single-threaded server is counted over
// tens of ms, far past the margin, and reusing those slots one window after
// their wire times meets 429s. For such a server a send is held to count
// from its answer minus the fastest recent answer (the queue it sat in). A
// slow server (latency of its own, above max(2 × margin, window / 100)) keeps
// the wire time: its jitter is time after the count, and moving sends by it
// would cost the rate.
class SlidingWindowLimiter final : public Limiter
{
public:
    SlidingWindowLimiter(int limit, Duration window, Duration margin = std::chrono::milliseconds(5));

    QString name() const override { return QStringLiteral("sliding-window"); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onResponse(TimePoint now, const ResponseObservation &observation) override;
    // Moves a send to when it really left, so the window counts like the server.
    void onWire(TimePoint sentAt, TimePoint wireAt) override;
    double currentRate(TimePoint now) const override;

    int limit() const { return m_limit; }
    Duration window() const { return m_window; }
    Duration margin() const { return m_margin; }
    void setMargin(Duration margin) { m_margin = margin; }
    // While the server reports its own window (the header pacer follows it),
    // this one only keeps count: a send the pacer held late in a fixed window
    // must not hold the same send of every later window as late.
    void setDeferring(bool deferring) { m_deferring = deferring; }
    bool deferring() const { return m_deferring; }
    // The recorded send times, oldest first (at most `limit` of them).
    const std::deque<TimePoint> &sends() const { return m_sends; }

    // Send times still inside the window, as wall-clock ms, so a restarted run
    // does not re-spend a window the server is still counting.
    QJsonObject saveState(TimePoint now, WallTime wallNow) const;
    void restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow);

private:
    int m_limit;
    Duration m_window;
    Duration m_margin;
    // Moves the send recorded at `from` to `later`, keeping the deque sorted.
    void moveSend(TimePoint from, TimePoint later);

    std::deque<TimePoint> m_sends; // the last `limit` send times, oldest first
    bool m_deferring = false;
    // The fastest answer (wire → response) in this window and the one before.
    Duration m_fastestNow = Duration::max();
    Duration m_fastestBefore = Duration::max();
    TimePoint m_fastestSince{};
};

} // namespace headroom::rate
