#pragma once

#include "core/clock/Clock.h"

#include <QByteArray>
#include <QList>
#include <QPair>

#include <deque>

// A model of a rate-limited API for the simulator tests. It counts a request
// when it ARRIVES (as real limiters at an API's edge do), and answers like the
// servers Headroom meets:
//  - SlidingWindow (Customer.io): accepts when fewer than `limit` requests were
//    accepted in (t - window, t]; a 429 carries no headers.
//  - FixedWindow (Segment Public API, rate-limiter-flexible semantics): a window
//    opens at the first request after the previous one ended; every answer has
//    X-RateLimit-Consumed / -Remaining / -Reset (an RFC 5322 date, truncated to
//    the second, as JavaScript's Date formats it, or rounded up to the next
//    second, as headroom-sandbox writes it); a 429 body carries msBeforeNext.
//  - ClockAlignedWindow (GitHub): windows start at multiples of `window` on the
//    wall clock; X-RateLimit-Limit / -Remaining / -Reset (epoch seconds) on every
//    answer, a 429 with Remaining 0 when the window is spent.
class SimulatedServer
{
public:
    enum class Kind { SlidingWindow,
                      FixedWindow,
                      ClockAlignedWindow };
    // How a whole-second reset date is written: both are seen, and a client
    // cannot tell them apart from the dates alone.
    enum class DateRounding { Truncate,
                              Ceil };
    struct Config
    {
        Kind kind = Kind::SlidingWindow;
        int limit = 100;
        headroom::Duration window = std::chrono::seconds(1);
        DateRounding rounding = DateRounding::Truncate;
    };
    struct Reply
    {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
    };

    explicit SimulatedServer(Config config);

    Reply arrive(headroom::TimePoint arrival, headroom::WallTime wallArrival);

    int accepted() const { return m_accepted; }
    int rejected() const { return m_rejected; }
    // The most requests ever accepted in one window: a self-check of the model.
    int maxAcceptedInWindow() const { return m_maxInWindow; }

private:
    Config m_config;
    int m_accepted = 0;
    int m_rejected = 0;
    int m_maxInWindow = 0;
    std::deque<headroom::TimePoint> m_acceptedAt; // sliding window
    bool m_windowOpen = false;                    // fixed window
    headroom::TimePoint m_windowEnd{};
    int m_consumed = 0;
    qint64 m_windowIndex = 0; // clock-aligned window
};
