#pragma once

#include "rate/Limiter.h"

#include <QJsonObject>

#include <deque>
#include <optional>

namespace headroom::rate {

// Paces a lane from what the server says about its own window: "R requests
// remain until T". While the window is ours alone (every drop in R is one of
// our requests) what is left goes at once: waiting gains nothing in a window
// the server has already opened, and time spread over the run's last window
// is lost for good. Once R drops by more than our requests explain, someone
// else spends from it too, and the pacer spreads what is left up to T so each
// answer can correct the next send. At 0 it holds until T.
//
// Reset headers are often whole seconds (Segment's RFC 5322 dates). The pacer
// learns the window length from the request that opened each window, so it
// can hold until the real end of a window instead of the next whole second.
// While the length is still uncertain it picks the instant it opens the next
// window: one that makes the next reset date answer "longer or shorter than
// the middle guess" — a binary search that costs under a second per window
// for a handful of windows.
//
// Servers round those dates either way: JavaScript truncates the milliseconds,
// others round up so a client is never early. From the dates alone the two
// cannot be told apart (a window W rounded up reads like W + 1 s truncated),
// so the pacer first assumes truncation, which never under-estimates the end,
// and once the window is known to within a second it asks the server once:
// the last request of a window goes one second before the truncated guess of
// its end. If the server counts it in the old window, the dates are truncated;
// if it opens a new one, they are rounded up and every window ends a second
// sooner than assumed. Either answer costs no 429.
//
// Before the first response it lets one request out (a probe): the first
// answer says whether the server speaks headers; if it does not, the pacer has
// no opinion from then on.
//
// Everything it assumes about time is an upper bound: a window end it computes
// is never earlier than the server's (given that arrival lags the wire time
// reported through onWire by no more than `arrivalMargin`), so it never sends
// into a spent window.
class HeaderPacer final : public Limiter
{
public:
    struct Config
    {
        // Longest send→arrival delay we allow for (uplink jitter, not round trip).
        Duration arrivalMargin = std::chrono::milliseconds(5);
        // Never hold longer than this on header information alone.
        Duration maxHold = std::chrono::seconds(300);
    };

    // How the server writes whole-second reset dates, once the pacer knows.
    enum class DateRounding { Unknown, Truncated, RoundedUp };

    HeaderPacer();
    explicit HeaderPacer(Config config);

    QString name() const override { return QStringLiteral("header-pacer"); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onWire(TimePoint sentAt, TimePoint wireAt) override;
    void onResponse(TimePoint now, const ResponseObservation &observation) override;
    double currentRate(TimePoint now) const override;

    // What it believes, for charts and tests.
    std::optional<qint64> knownLimit() const { return m_limit; }
    // The window: stated (IETF w), learned from window openers, or else the
    // smallest step between successive resets.
    std::optional<Duration> learnedWindow() const { return m_windowUpper ? m_windowUpper : m_resetStep; }
    std::optional<TimePoint> windowEnd() const;
    // Requests it would still let go in the current window (negative: over).
    qint64 available(TimePoint now) const;
    int inFlight() const { return int(m_inFlight.size()); }
    // Someone else spends from the same window: what is left is spread, not sent at once.
    bool sharedWindow() const { return m_shared; }
    DateRounding dateRounding() const { return m_dateRounding; }

    QJsonObject saveState(TimePoint now, WallTime wallNow) const;
    void restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow);

private:
    struct Flight
    {
        TimePoint sentAt;             // as told by onSend: what the caller's latency is measured from
        TimePoint wireAt;             // when it left the machine (sentAt until onWire says otherwise)
        bool roundingProbe = false;   // sent to learn how reset dates are rounded
    };

    qint64 sendsFrom(TimePoint from) const;
    qint64 sendsBetween(TimePoint from, TimePoint to) const;
    // When the held window's last request would tell how dates are rounded, or nullopt.
    std::optional<TimePoint> roundingProbeAt() const;
    void learnWindow(Duration lower, Duration upper);
    void trim();

    Config m_config;
    std::deque<TimePoint> m_sends;    // recent wire times, oldest first
    std::deque<Flight> m_inFlight;    // requests still out, in send order
    TimePoint m_lastSend{};

    // Until the first response we do not know whether this server speaks
    // headers at all: one request at a time, so a small window is not overrun.
    bool m_probing = true;
    bool m_haveInfo = false;
    qint64 m_remaining = 0;           // least reported in the held window...
    TimePoint m_remainingSentAt{};    // ...and when the freshest report's request left
    qint64 m_unreported = 0;          // finished in the held window without saying whether it counted
    TimePoint m_reportedReset{};      // reset as reported, to tell windows apart
    Duration m_resetResolution{};
    TimePoint m_windowEnd{};          // upper bound of the current window's end: hold until
    TimePoint m_windowEndLower{};     // lower bound of it: spend what is left before

    std::optional<qint64> m_limit;
    std::optional<Duration> m_windowUpper; // window length is at most this (learned or stated)
    std::optional<Duration> m_windowLower; // learned: window length is at least this
    bool m_coarseReset = false;       // whole-second absolute resets (dates, epoch seconds)
    DateRounding m_dateRounding = DateRounding::Unknown;
    bool m_shared = false;            // the server counted requests that were not ours
    // Set when the server's windows turn out not to open at their first request
    // (clock-aligned windows): then only stated windows are trusted.
    bool m_startModelBroken = false;
    bool m_statedWindow = false;      // the server said its window (IETF w)
    std::optional<Duration> m_resetStep; // smallest step between successive resets
    bool m_windowStartKnown = false;
    TimePoint m_windowStartSentAt{};  // wire time of the request that opened the window
};

} // namespace headroom::rate
