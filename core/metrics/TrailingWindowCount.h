#pragma once

#include "core/clock/Clock.h"

#include <QtGlobal>

#include <deque>
#include <utility>

namespace headroom::metrics {

// How many events (requests on the wire, 429s, rows done) fall in the exact
// trailing window (now - window, now], each counted at the instant it is
// given: for a request, when it left. A chart point is then the count of one
// real window of the lane's rate limit, so it can never show more requests in
// a window than went out in it. A rate read from counter differences between
// samples cannot promise that: samples straddle the window's edges, and two
// bursts the limit allows at either end of a span a little longer than the
// window read as up to twice the limit.
//
// Pure: the caller says when. Events may arrive out of order (a 429 is known
// only when its answer comes, but counts at its request's wire time).
class TrailingWindowCount
{
public:
    // The most events kept: an hour-long window at a thousand requests a second
    // would otherwise hold millions. Past it the oldest go, so a count can only
    // read low, never high.
    static constexpr size_t kMaxEvents = size_t(1) << 20;

    explicit TrailingWindowCount(Duration window = std::chrono::seconds(1));

    // A new window applies to the next count. Events are kept for the longest
    // window set so far, so a longer window counts exactly at once.
    void setWindow(Duration window);
    Duration window() const { return m_window; }

    void add(TimePoint at, qint64 weight = 1);
    // The event recorded at `from` happened at `to` (a send seen leaving later).
    void move(TimePoint from, TimePoint to);

    // Sum of the weights in (now - window, now].
    qint64 count(TimePoint now) const;
    // count(now) over the window's length in seconds.
    double perSecond(TimePoint now) const;
    // Forgets what no window can count any more; call at a fixed rate.
    void prune(TimePoint now);

    size_t retained() const { return m_events.size(); }

private:
    void insert(TimePoint at, qint64 weight);

    Duration m_window;
    Duration m_keep;
    std::deque<std::pair<TimePoint, qint64>> m_events; // oldest first
};

} // namespace headroom::metrics
