#pragma once

#include "rate/Limiter.h"

#include <QJsonObject>

#include <deque>
#include <optional>

namespace headroom::rate {

// Learns the budget a server really grants per window from its 429s, and
// paces just below it. A documented or configured limit is a ceiling to start
// from, never a fact: the workspace may allow less, the limit may move, and
// other integrations spend from the same budget.
//
// A 429 from a window-counting server is a measurement: when it rejected a
// request, the requests it had counted in the trailing window were at least
// its limit, so this lane's own requests that were not rejected in the window
// before the rejected one bound what the server grants it. The estimate is the
// least such count of an episode (the rejections of requests sent before the
// lane reacted). A 429 that carries window information (Remaining with a
// reset, msBeforeNext) belongs to the header pacer and teaches nothing here.
//
// After each episode the lane backs off from the window, not just the
// request: nothing goes until one window after the first rejected request (so
// a server's window, stale counts and all, has emptied), then requests go
// evenly at the estimate. Every attempt counts against the estimate in a
// sliding window, rejected ones included, because some servers count them
// (rolling-rate-limiter) and each extra attempt there extends the block.
//
// After a quiet stretch in which the estimate was the binding rule, it probes
// upward with growing steps (a limit that came back is found in a few
// windows). A probe that meets the same ceiling again confirms it, and the
// next probe waits twice as long; a ceiling that moved resets the wait.
// Without a configured ceiling (discovery) it starts low and doubles per
// window until the first 429 (slow start).
//
// Liveness: every wait it answers is an absolute instant derived from stored
// send times or the hold, never TimePoint::max(), and never further than one
// window (plus the margin) past the latest send or rejection.
class GrantedBudgetLimiter final : public Limiter
{
public:
    struct Config
    {
        Duration window = std::chrono::seconds(1);
        std::optional<int> ceiling;      // never paced above this (configured limit)
        Duration margin = std::chrono::milliseconds(5); // send -> arrival jitter
        int initial = 0;                 // > 0: discovery starts here (per window), doubling until a 429
        int quietWindows = 2;            // windows without a throttle before the first probe
        int maxQuietWindows = 8;
        double sameCeiling = 0.05;       // a measurement within this share of the last confirms it
    };

    GrantedBudgetLimiter();
    explicit GrantedBudgetLimiter(Config config);

    QString name() const override { return QStringLiteral("granted-budget"); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onWire(TimePoint sentAt, TimePoint wireAt) override;
    void onResponse(TimePoint now, const ResponseObservation &observation) override;
    double currentRate(TimePoint now) const override;

    // Requests per window it paces at; empty while it has no opinion (the
    // configured limit governs).
    std::optional<int> estimate() const { return m_estimate; }
    // What the last episode measured, and how many episodes there were.
    std::optional<int> lastMeasurement() const { return m_lastMeasure; }
    int episodes() const { return m_episodes; }
    bool confirmed() const { return m_confirmations > 0; }
    TimePoint holdUntil() const { return m_holdUntil; }
    Duration window() const { return m_config.window; }
    // Whether a 429 with these signals is one this limiter learns from.
    static bool teaches(const ResponseObservation &observation);

    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state, TimePoint now);

private:
    enum class Outcome { Pending, Counted, Rejected };
    struct Send
    {
        TimePoint sentAt;
        TimePoint wireAt;
        Outcome outcome = Outcome::Pending;
    };

    std::deque<Send>::iterator findSend(TimePoint now, const ResponseObservation &observation);
    int countedBefore(const Send &rejected) const;
    void onThrottle(TimePoint now, const Send &rejected);
    void startEpisode(TimePoint now, const Send &rejected, int measured);
    void maybeRaise(TimePoint now);
    void onProbeRejected(TimePoint now, const Send &rejected);
    int attemptsSince(TimePoint from) const;
    void setEstimate(int estimate);
    void trim(TimePoint now);

    Config m_config;
    std::deque<Send> m_sends;            // in send order
    TimePoint m_lastSend{};
    TimePoint m_spacedUntil{};           // GCRA's theoretical arrival time at the estimate

    std::optional<int> m_estimate;
    std::optional<int> m_lastMeasure;    // the last episode's measurement
    int m_episodes = 0;
    int m_confirmations = 0;
    bool m_slowStart = false;
    TimePoint m_episodeAt{};             // when the current episode began (min() before any)
    TimePoint m_episodeWire{};           // wire time of its earliest measured rejection
    TimePoint m_holdUntil{};
    TimePoint m_nextRaiseAt{};
    int m_quietWindows = 0;
    int m_raiseStep = 1;
    // A raise is tested by one request above the old estimate while the
    // rest keep to the old one until its answer: a refused probe costs one
    // 429, not a round trip's worth of them, so probing can be frequent.
    enum class ProbeState { None, Armed, Pending };
    ProbeState m_probeState = ProbeState::None;
    int m_probeFrom = 0;
    TimePoint m_probeSentAt{};
    TimePoint m_probeRefusedAt{};
    bool m_countsRefusals = false;       // learned from a refused probe's echoes
    double m_headroom = 0.0;             // share of the measurement kept free
};

} // namespace headroom::rate
