#pragma once

#include "core/clock/Clock.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <deque>
#include <random>
#include <vector>

// Servers as real ones behave, each a named mode, for property tests of the
// engine in virtual time. Every mode is modelled on a documented API or on
// the code of a widely used limiter library, never on what the engine assumes:
//  - SlidingLog: at most `limit` ACCEPTED requests in any (t - window, t]; a
//    rejected request is not counted (Customer.io's "sliding window").
//  - RollingCountsRejections: rolling-rate-limiter (peterkhayes): every
//    attempt's timestamp is added to the sorted set before the check, blocked
//    or not, and an attempt is blocked when the set holds more than `limit`;
//    a client that keeps hammering stays blocked.
//  - FixedAnchored: rate-limiter-flexible (RateLimiterMemory / MemoryStorage):
//    the key is created with expiry now + duration at its first consume; every
//    consume increments it, rejected or not; rejected when consumed > points;
//    msBeforeNext = expiry - now (Segment Public API's 429 body carries these
//    fields).
//  - FixedClock: windows at multiples of `window` on the wall clock (GitHub's
//    X-RateLimit-Reset in epoch seconds).
// Headers, Retry-After, a limit below the documented one, a limit that moves
// (a schedule relative to the first arrival), neighbours spending the same
// budget and answers lost after the server accepted are options of any mode.
class ZooServer
{
public:
    enum class Window { SlidingLog,
                        RollingCountsRejections,
                        FixedAnchored,
                        FixedClock };
    enum class Reset { None,
                       DeltaSeconds,
                       EpochSeconds,
                       DateTruncated,
                       DateRoundedUp };
    enum class RetryAfter { None,
                            Seconds,
                            HttpDate,
                            OneSecond };

    struct Step
    {
        headroom::Duration from; // after the first arrival
        int limit;
    };
    struct Config
    {
        Window window = Window::SlidingLog;
        int limit = 100;
        headroom::Duration length = std::chrono::seconds(1);
        Reset reset = Reset::None;
        bool consumedHeader = false;   // X-RateLimit-Consumed (Segment)
        bool limitHeader = false;      // X-RateLimit-Limit (GitHub)
        bool msBeforeNextBody = false; // Segment's 429 body
        RetryAfter retryAfter = RetryAfter::None;
        std::vector<Step> schedule; // the limit moves
        double neighbourPerS = 0.0; // another integration of the workspace
        double lostAnswers = 0.0;   // accepted, then the answer never comes
        quint64 seed = 1;
    };
    struct Reply
    {
        int status = 200;
        bool lost = false;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
    };

    explicit ZooServer(Config config);

    Reply arrive(headroom::TimePoint arrival, headroom::WallTime wallArrival);

    // The limit in force at `t` (a schedule moves it).
    int limitAt(headroom::TimePoint t) const;
    // What the server offered this client over [from, to]: the limit in force
    // integrated over time, minus what the neighbour was granted.
    double capacity(headroom::TimePoint from, headroom::TimePoint to) const;

    int accepted() const { return m_accepted; }
    int rejected() const { return m_rejected; }
    int neighbourAccepted() const { return m_neighbourAccepted; }
    int neighbourRejected() const { return m_neighbourRejected; }
    // Accepted arrivals in any window, counted after the fact: the limit's proof.
    int maxAcceptedInWindow() const { return m_maxInWindow; }
    QString describe() const;

private:
    bool admit(headroom::TimePoint t, headroom::WallTime wall);
    void runNeighbour(headroom::TimePoint until, headroom::WallTime wallUntil, headroom::TimePoint now);
    void writeHeaders(Reply &reply, headroom::TimePoint t, headroom::WallTime wall, bool accepted) const;
    headroom::TimePoint windowEnd(headroom::TimePoint t, headroom::WallTime wall) const;

    Config m_config;
    std::mt19937_64 m_random;
    bool m_started = false;
    headroom::TimePoint m_firstArrival{};
    headroom::TimePoint m_neighbourNext{};
    std::deque<headroom::TimePoint> m_log;         // sliding / rolling
    headroom::TimePoint m_fixedEnd{};              // fixed anchored
    qint64 m_clockIndex = -1;                      // fixed clock
    int m_consumed = 0;                            // fixed windows
    std::deque<headroom::TimePoint> m_acceptedLog; // for maxAcceptedInWindow
    int m_accepted = 0;
    int m_rejected = 0;
    int m_neighbourAccepted = 0;
    int m_neighbourRejected = 0;
    int m_maxInWindow = 0;
};
