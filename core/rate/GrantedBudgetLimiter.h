#pragma once

#include "core/rate/Limiter.h"

#include <QJsonObject>

#include <deque>
#include <functional>
#include <vector>
#include <optional>

namespace headroom::rate {

// Learns the budget a server really grants per window from its 429s, and
// paces at it. A documented or configured limit is a ceiling to start from,
// never a fact: the workspace may allow less, the limit may move, and other
// integrations spend from the same budget.
//
// A 429 from a window-counting server is a measurement: when it refused a
// request, what it had counted in its trailing window was at least its
// limit, so this lane's own requests that were not refused in the window
// before the refused one bound what the server grants it. Answers to
// requests already out when the lane reacted belong to the same episode; its
// first measurement stands. A 429 that says where the server's window ends
// (Remaining with a reset, msBeforeNext) belongs to the header pacer and
// teaches nothing here.
//
// It paces evenly at the estimate (GCRA spacing) and allows no more attempts
// than the estimate in any window plus the arrival margin, refused ones
// included, because some servers count them (rolling-rate-limiter) and every
// extra attempt there extends the block; letting its own window empty is how
// the lane backs off from the server's. Two episodes within two windows hold
// the lane one whole window after the refused request: the server then holds
// counts this lane cannot see (a limit that dropped, a neighbour's burst).
//
// A few recent measurements decide the pace: one far below the last means
// the budget dropped; a refusal at a pace the lane had settled on, or
// measurements that vary, mean others spend from the budget, and it paces a
// little below the least of them. After a quiet stretch in which the estimate
// bound the lane it probes upward with one request above the old estimate
// in an exact window while the rest keep to it: refused, that costs one 429
// (at a server that counts refusals, nothing goes while a probe is out);
// granted, the next step is four times larger (twice once others spend from
// the budget, where every overshoot costs them too), so a limit that came
// back is found in a few windows. The climb stops one request short of
// where a raise was last refused and passes it one request at a time. A
// budget that refused a few probes in a row is the server's standing limit:
// each further refusal doubles the quiet stretch. Back at the configured
// limit, the drop's measurements are forgotten, and sends stay evenly paced
// at the limit. Without a
// configured ceiling (discovery) it starts low and doubles per window until
// the first 429.
//
// A configured ceiling is not trusted with a burst either: in the lane's
// first window, before any refusal and before the server states its limit
// in headers, sends go at the ceiling's even pace. A budget below the
// ceiling then costs the refusals of one round trip at that pace, not the
// ceiling's worth sent before the first 429 is back.
//
// Liveness: every wait it answers is an absolute instant derived from stored
// send times or the hold, never TimePoint::max(), and never further than one
// window (plus the margin) past the latest send or refusal.
class GrantedBudgetLimiter final : public Limiter
{
public:
    struct Config
    {
        Duration window = std::chrono::seconds(1);
        std::optional<int> ceiling;                     // never paced above this (configured limit)
        Duration margin = std::chrono::milliseconds(5); // send -> arrival jitter
        int initial = 0;                                // > 0: discovery starts here (per window), doubling until a 429
        int quietWindows = 2;                           // windows without a throttle before the first probe
        int maxQuietWindows = 32;                       // between probes of a small confirmed budget
        double sameCeiling = 0.01;                      // measurements further apart than this share (and 1) vary
        bool firstWindowRamp = true;                    // pace a configured ceiling's first window evenly
        // Sends of others spending the same budget inside this process (the
        // console's other imports into one scope), by wire time, appended to
        // the list when later than `from`. The budget is the scope's: a 429
        // measures them too, and the estimate bounds all of them together.
        std::function<void(TimePoint from, std::vector<TimePoint> &out)> othersSentSince;
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
    std::optional<int> lastMeasurement() const
    {
        return m_measurements.empty() ? std::nullopt : std::optional<int>(m_measurements.back());
    }
    int episodes() const { return m_episodes; }
    bool confirmed() const { return m_confirmations > 0; }
    // Refused at a pace it had settled on: others spend from the same budget.
    bool shared() const { return m_shared; }
    TimePoint holdUntil() const { return m_holdUntil; }
    // When it may next probe upward, and whether a probe is armed or out.
    TimePoint nextRaiseAt() const { return m_nextRaiseAt; }
    bool probing() const { return m_probeState != ProbeState::None; }
    bool probeOut() const { return m_probeState == ProbeState::Pending; }
    // Whether the first window's sends still go at the ceiling's even pace.
    bool ramping(TimePoint now) const;
    Duration window() const { return m_config.window; }
    // Whether a 429 with these signals is one this limiter learns from.
    static bool teaches(const ResponseObservation &observation);

    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state, TimePoint now);

private:
    enum class Outcome { Pending,
                         Counted,
                         Rejected };
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
    void retestStep();
    void remember(int measured);
    bool varying() const;
    void settle();
    void scheduleRaise(TimePoint from, bool dropped);
    int attemptsSince(TimePoint from) const;
    std::vector<TimePoint> othersSince(TimePoint from) const;
    int confirmedQuietWindows(int budget) const;
    void setEstimate(int estimate);
    void trim(TimePoint now);
    TimePoint rampWait(TimePoint now) const;
    bool pacedAtCeiling() const;

    Config m_config;
    std::deque<Send> m_sends;  // in send order
    TimePoint m_spacedUntil{}; // GCRA's theoretical arrival time at the estimate

    std::optional<int> m_estimate;
    int m_episodes = 0;
    int m_confirmations = 0;
    bool m_slowStart = false;
    TimePoint m_episodeAt{};     // when the lane last reacted to an episode
    TimePoint m_lastEpisodeAt{}; // the last refusal that was not a probe's
    TimePoint m_raisedAt{};      // the last probe upward
    int m_refusedProbes = 0;     // in a row since the budget last dropped or moved up
    int m_grantedProbes = 0;     // in a row
    int m_refusedLevel = 0;      // the count per window a raise was last refused at
    TimePoint m_holdUntil{};
    Duration m_margin{}; // arrival jitter allowed for
    TimePoint m_nextRaiseAt{};
    int m_quietWindows = 0;
    int m_raiseStep = 1;
    int m_probeStep = 1; // the step the probe out tests
    // A raise is tested by one request above the old estimate while the
    // rest keep to the old one until its answer: a refused probe costs one
    // 429, not a round trip's worth of them, so probing can be frequent.
    enum class ProbeState { None,
                            Armed,
                            Pending };
    ProbeState m_probeState = ProbeState::None;
    int m_probeFrom = 0;
    TimePoint m_probeSentAt{};
    TimePoint m_probeRefusedAt{};
    bool m_countsRefusals = false;  // learned from a refused probe's echoes
    std::deque<int> m_measurements; // the last few, oldest first
    bool m_shared = false;          // refused at a settled pace: others spend from the budget
    // The first window's ramp: from its first send until a window later, a
    // refusal, or the server stating its limit.
    enum class Ramp { Before,
                      Growing,
                      Over };
    Ramp m_ramp = Ramp::Before;
    TimePoint m_rampFrom{};
    int m_rampSent = 0;
};

} // namespace headroom::rate
