#pragma once

#include "core/rate/Limiter.h"

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
// A configured window shortcuts that search. It is tried as a guess: once a
// window is spent, the request that would open the next one goes alone at
// the end the guess implies (counted from when the window's opener answered,
// which it cannot have reached the server after), and nothing else goes
// until it answers. A new window confirms the guess; a 429 or a count in the
// old window refutes it, costs that one request, and the reported end stands.
//
// It is a state machine (see State). Every wait it names is an absolute
// instant fixed by an event (a send, an answer), never one recomputed from the
// time it is asked: a timer that fires late then finds the instant passed and
// sends, instead of being told to wait again. With nothing in flight every
// state names a finite instant, at most the latest possible end of the window
// the server reported plus the wait to open the next one.
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
        // A saved window that ends further out than this on restore is taken
        // for a wall clock that jumped, and dropped.
        Duration maxHold = std::chrono::seconds(300);
        // The window the operator or profile configured. Where the server's
        // reports leave its length uncertain (whole-second dates), the pacer
        // tries this length first: the request that would open the next
        // window goes alone at the end it implies, and its answer either
        // confirms it (a new window) or refutes it (a 429 or a count in the
        // old window: the guess is dropped, the reported end stands).
        std::optional<Duration> guessedWindow;
    };

    // How the server writes whole-second reset dates, once the pacer knows.
    enum class DateRounding { Unknown,
                              Truncated,
                              RoundedUp };

    enum class State {
        Probing,  // no answer yet: one request at a time, so a small window is not overrun
        Silent,   // the server speaks no rate headers: no opinion
        InWindow, // a report of R remaining until T, and some of R left
        Spent,    // R used up: hold until the latest possible end of the window
        Opening,  // the window is over: open the next one
    };

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
    // Wire times kept to count the sends a report covers.
    qsizetype rememberedSends() const { return qsizetype(m_sends.size()); }
    // Someone else spends from the same window: what is left is spread, not sent at once.
    bool sharedWindow() const { return m_shared; }
    DateRounding dateRounding() const { return m_dateRounding; }
    State state(TimePoint now) const;
    static QString stateName(State state);
    // The server reports its window (Remaining and a reset): the pacer, not
    // a configured window, knows when the next request may go.
    bool followsReports() const { return hasReport(); }

    QJsonObject saveState(TimePoint now, WallTime wallNow) const;
    void restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow);

private:
    struct Flight
    {
        TimePoint sentAt; // as told by onSend: what the caller's latency is measured from
        TimePoint wireAt; // when it left the machine (sentAt until onWire says otherwise)
    };

    // What the server believes opens and ends its windows.
    enum class WindowModel {
        OpenedByRequest, // a window opens at the first request after the last one ended
        Unanchored,      // not so (clock-aligned): only the reported resets are trusted
        Stated,          // the server says its window (IETF w)
    };

    // One answer's "R remaining until T", as far as it can be read.
    struct Report
    {
        TimePoint resetAt;
        Duration resolution{}; // the true reset lies within resetAt and resetAt ± this
        qint64 remaining = 0;
        bool coarseAbsolute = false; // a whole-second date or epoch second
        bool opensWindow = false;    // the request that opened the window it describes
        bool inHeldWindow = false;   // describes the window already held
    };

    bool hasReport() const { return m_state != State::Probing && m_state != State::Silent; }
    qint64 sendsFrom(TimePoint from) const;
    qint64 sendsBetween(TimePoint from, TimePoint to) const;
    qint64 availableAfterWindow() const;
    TimePoint inWindowSend(TimePoint now) const;
    TimePoint openingSend(TimePoint now) const;
    // When the held window's last request would tell how dates are rounded, or nullopt.
    std::optional<TimePoint> roundingProbeAt() const;

    // The steps of onResponse, in order.
    TimePoint matchFlight(TimePoint now, Duration latency);
    void absorbLimit(const RateSignals *parsed);
    std::optional<Report> readReport(const RateSignals *parsed) const;
    void absorbSilence(TimePoint sentAt, bool answered);
    std::pair<TimePoint, TimePoint> resetBounds(const Report &report) const;
    void learnFromOpener(TimePoint sentAt, const Report &report, int status);
    void learnRounding(Duration sinceStart, bool laterWindow, bool countedInHeld);
    void learnWindow(Duration lower, Duration upper);
    void noticeRoundedUp(TimePoint sentAt, const Report &report);
    void noticeSharing(TimePoint sentAt, const Report &report);
    void adoptReport(TimePoint now, TimePoint sentAt, const Report &report);
    // A window opened by a request ends no later than one window after it.
    void boundEndByStart();
    // Enters InWindow, Spent or Opening from what is now known, and fixes the
    // instant the next window is opened.
    void settle(TimePoint now);
    TimePoint openingInstant() const;
    // Where the configured window would end the held one, while that is
    // untested, earlier than the reported end and consistent with it.
    std::optional<TimePoint> guessedEnd() const;
    // The answer to the request sent to test the guess.
    void judgeGuess(TimePoint sentAt, const std::optional<Report> &report, int status);
    void trim();

    Config m_config;
    std::deque<TimePoint> m_sends; // recent wire times, oldest first
    std::deque<Flight> m_inFlight; // requests still out, in send order
    TimePoint m_lastSend{};

    State m_state = State::Probing;
    qint64 m_remaining = 0;        // least reported in the held window...
    TimePoint m_remainingSentAt{}; // ...and when the freshest report's request left
    qint64 m_unreported = 0;       // finished in the held window without saying whether it counted
    TimePoint m_reportedReset{};   // reset as reported, to tell windows apart
    Duration m_resetResolution{};
    TimePoint m_windowEnd{};      // upper bound of the current window's end: Spent holds until
    TimePoint m_windowEndLower{}; // lower bound of it: spend what is left before
    TimePoint m_openAt{};         // Opening: the first request of the next window goes no sooner

    std::optional<qint64> m_limit;
    std::optional<Duration> m_windowUpper; // window length is at most this (learned or stated)
    std::optional<Duration> m_windowLower; // learned: window length is at least this
    WindowModel m_windowModel = WindowModel::OpenedByRequest;
    bool m_coarseReset = false; // whole-second absolute resets (dates, epoch seconds)
    DateRounding m_dateRounding = DateRounding::Unknown;
    int m_windowsWithoutRounding = 0;           // windows that ended with the date rounding still unknown
    bool m_shared = false;                      // the server counted requests that were not ours
    std::optional<Duration> m_resetStep;        // smallest step between successive resets
    std::optional<TimePoint> m_windowStart;     // wire time of the request that opened the held window
    TimePoint m_windowOpenerAnswered{};         // when the held window's opener answered
    std::optional<Duration> m_guess;            // the configured window, until an answer refutes it
    std::optional<TimePoint> m_guessTestSentAt; // onSend time of the request testing it, while out
    bool m_answerTestsGuess = false;            // the answer being read is that request's
};

} // namespace headroom::rate
