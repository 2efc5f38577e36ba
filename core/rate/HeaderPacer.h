#pragma once

#include "rate/Limiter.h"

#include <QJsonObject>

#include <deque>
#include <optional>

namespace headroom::rate {

// Paces a lane from what the server says about its own window: "R requests
// remain until T". It spreads what is left (R minus the requests that may not
// be counted yet) over the time to T, holds at 0 until T, and — since reset
// headers are often whole seconds (Segment's RFC 5322 dates) — learns the
// window length from the request that opened each window, so it can hold until
// the real end of a window instead of the next whole second.
//
// With whole-second resets the learning would stall if windows kept opening
// just after a second boundary, so while the window length is still uncertain
// the pacer picks the instant it opens the next window: one that makes the
// next reset date answer "longer or shorter than the middle guess" — a binary
// search that costs under a second per window for a handful of windows.
//
// Before the first response it lets one request out (a probe): the first
// answer says whether the server speaks headers; if it does not, the pacer has
// no opinion from then on.
//
// Everything it assumes about time is an upper bound: a window end it computes
// is never earlier than the server's (given that arrival lags sending by no
// more than `arrivalMargin`), so it never sends into a spent window.
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

    HeaderPacer();
    explicit HeaderPacer(Config config);

    QString name() const override { return QStringLiteral("header-pacer"); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
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

    QJsonObject saveState(TimePoint now, WallTime wallNow) const;
    void restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow);

private:
    qint64 sendsFrom(TimePoint from) const;
    void trim();

    Config m_config;
    std::deque<TimePoint> m_sends;    // recent send times, oldest first
    std::deque<TimePoint> m_inFlight; // send times of requests still out
    TimePoint m_lastSend{};

    // Until the first response we do not know whether this server speaks
    // headers at all: one request at a time, so a small window is not overrun.
    bool m_probing = true;
    bool m_haveInfo = false;
    qint64 m_remaining = 0;           // from the freshest response...
    TimePoint m_remainingSentAt{};    // ...and when that request left
    TimePoint m_reportedReset{};      // reset as reported, to tell windows apart
    Duration m_resetResolution{};
    TimePoint m_windowEnd{};          // upper bound of the current window's end: hold until
    TimePoint m_windowEndLower{};     // lower bound of it: spend what is left before

    std::optional<qint64> m_limit;
    std::optional<Duration> m_windowUpper; // window length is at most this (learned or stated)
    std::optional<Duration> m_windowLower; // learned: window length is at least this
    bool m_coarseReset = false;       // whole-second absolute resets (dates, epoch seconds)
    // Set when the server's windows turn out not to open at their first request
    // (clock-aligned windows): then only stated windows are trusted.
    bool m_startModelBroken = false;
    bool m_statedWindow = false;      // the server said its window (IETF w)
    std::optional<Duration> m_resetStep; // smallest step between successive resets
    bool m_windowStartKnown = false;
    TimePoint m_windowStartSentAt{};  // send time of the request that opened the window
};

} // namespace headroom::rate
