#pragma once

#include "core/metrics/LaneCounters.h"
#include "core/metrics/LaneSnapshot.h"
#include "core/metrics/MetricsSampler.h"
#include "core/metrics/TrailingWindowCount.h"
#include "core/rate/CircuitBreaker.h"
#include "core/rate/LimiterStack.h"
#include "core/rate/PauseProbe.h"
#include "core/rate/RetryBudget.h"
#include "core/rate/RetryPolicy.h"
#include "core/run/Job.h"
#include "core/run/LaneConfig.h"

#include <QJsonObject>

#include <array>
#include <map>
#include <optional>

namespace headroom::budget {
class SharedBudgetLimiter;
class ProcessBudget;
} // namespace headroom::budget

namespace headroom::rate {
class GrantedBudgetLimiter;
class GcraLimiter;
class ConcurrencyLimit;
class HeaderPacer;
class SlidingWindowLimiter;
} // namespace headroom::rate

namespace headroom::run {

// Everything one rate-limit scope decides, without timers or sockets: its
// limiter stack, retry policy and budget, circuit breaker, the retries waiting
// for their time, and its counters. The Dispatcher asks it when to send and
// tells it what happened; the Lane answers in virtual-time-testable decisions.
class Lane
{
public:
    explicit Lane(LaneConfig config, TimePoint now);
    ~Lane();
    Lane(const Lane &) = delete;
    Lane &operator=(const Lane &) = delete;

    const LaneConfig &config() const { return m_config; }

    // The earliest instant the next attempt may go (limiters, lane pause and an
    // open breaker). TimePoint::max(): wait for a response.
    TimePoint nextSendAt(TimePoint now) const;
    // Asks the breaker for this one send; in half-open only the probe passes.
    bool admit(TimePoint now);

    bool hasRetries() const { return !m_retries.empty(); }
    qsizetype retryCount() const { return qsizetype(m_retries.size()); }
    TimePoint nextRetryDue() const;
    std::optional<Job> takeDueRetry(TimePoint now);
    // Every waiting retry, oldest due first (used when a run stops early).
    QList<Job> takeAllRetries();

    void onSend(TimePoint now, Job &job);
    // The job sent at `sentAt` was written to its socket by `wireAt`.
    void onWire(TimePoint sentAt, TimePoint wireAt);
    // A finished attempt: updates limiters, breaker, budget and counters, and
    // returns what to do with the job. RetryAt / PauseLane jobs are already
    // queued here; the caller handles Done, DeadLetter and SplitBatch.
    // !mayResend: the attempt may have been applied and a copy would not be
    // deduplicated, so a retry becomes a dead letter saying so.
    rate::RetryPolicy::Decision onResult(TimePoint now, Job &job, const rate::ResponseObservation &observation,
                                         bool mayResend = true);
    // A sent job that ends without a verdict (cancelled): frees its slot.
    void onAbandoned(TimePoint now);
    // Rows of a call sent on the wire at `wireAt` are done.
    void onRowsDone(TimePoint wireAt, qint64 rows);

    // A wider scope's lane whose budget this lane's requests also spend: each
    // send waits for it too and counts there (ParentScopeLimiter).
    void addParent(Lane *parent, TimePoint now);
    // A narrower scope's lane sent (and got an answer to) a request that
    // spends this lane's budget. A 429 there teaches only that lane.
    void onChildSend(TimePoint now);
    void onChildResponse(TimePoint now, const rate::ResponseObservation &observation);

    // Live changes from the console: the new rate applies to the next send.
    void setLimit(std::optional<int> limit, Duration window, TimePoint now);
    void setConcurrency(int concurrency);
    // The sliding window's current arrival margin (zero without one).
    Duration slidingMargin() const { return m_window ? m_margin : Duration::zero(); }

    metrics::LaneCounters &counters() { return m_counters; }
    const metrics::LaneCounters &counters() const { return m_counters; }
    int inFlight() const { return m_inFlight; }
    rate::CircuitBreaker::State breakerState(TimePoint now) const { return m_breaker.state(now); }
    const rate::LimiterStack &limiters() const { return m_stack; }
    // For a rule added from outside (tests); setLimit() rebuilds the stack without it.
    rate::LimiterStack &limiters() { return m_stack; }
    // What the server grants as the lane learned it from 429s; null never.
    const rate::GrantedBudgetLimiter *grantedBudget() const { return m_granted; }
    // The lane's share of a budget shared through Redis; null without one.
    budget::SharedBudgetLimiter *sharedBudget() const { return m_shared.get(); }

    // What the lane learned that a restart must not forget (DESIGN: "a restart
    // is not a fresh start"): send times inside the window, the server's last
    // Remaining/Reset, the discovered rate, the arrival margin. Times are kept
    // as wall-clock so a later process can map them onto its own steady clock.
    QJsonObject saveState(TimePoint now, WallTime wallNow) const;
    void restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow);

    // Sampling for the charts (call at a fixed rate).
    metrics::LaneSnapshot sample(TimePoint now, TimePoint runStart, qint64 heldBack, bool operatorPaused);
    // Requests the lane may still send in its window by its own count; -1 with
    // no limit to count against.
    qint64 estimatedRemaining(TimePoint now) const;

private:
    void buildStack(TimePoint now);
    void adaptMargin(TimePoint now, bool throttled);
    void onThrottled(TimePoint now, const Job &job, const rate::ResponseObservation &observation);
    void learnStatedLimit(TimePoint now, const rate::RateSignals &rateSignals);
    Duration streakBackoff() const;
    void maybeTestPause(TimePoint now, const rate::ResponseObservation &observation, Duration pause);

    LaneConfig m_config;
    rate::LimiterStack m_stack;
    rate::ConcurrencyLimit *m_concurrency = nullptr;
    rate::HeaderPacer *m_pacer = nullptr;
    rate::GrantedBudgetLimiter *m_granted = nullptr;
    rate::PauseProbe m_pauseProbe;
    rate::Limiter *m_configured = nullptr;
    rate::GcraLimiter *m_bucket = nullptr;
    rate::SlidingWindowLimiter *m_window = nullptr;
    // Outlives stack rebuilds (setLimit): its slots are held in Redis.
    std::unique_ptr<budget::SharedBudgetLimiter> m_shared;
    std::shared_ptr<budget::ProcessBudget> m_processBudget; // shared with other runs of this process
    // The arrival jitter the sliding window allows for, learned from 429s
    // the window should have prevented; decays back while none come.
    Duration m_margin{};
    // Throttle episodes in a row without a success, and when the lane last
    // reacted to one (answers to requests sent before are the same episode).
    int m_throttleStreak = 0;
    TimePoint m_streakReactedAt{};
    TimePoint m_marginChangedAt{};
    rate::RetryPolicy m_policy;
    rate::RetryBudget m_budget;
    rate::CircuitBreaker m_breaker;
    rate::RetryPolicy::RandomSource m_random;
    std::multimap<TimePoint, Job> m_retries;
    metrics::LaneCounters m_counters;
    metrics::MetricsSampler m_sampler; // latencies
    // Exact trailing windows of the lane's limit, at wire times.
    metrics::TrailingWindowCount m_sentWindow;
    metrics::TrailingWindowCount m_throttledWindow;
    metrics::TrailingWindowCount m_callsDoneWindow;
    metrics::TrailingWindowCount m_rowsDoneWindow;
    int m_inFlight = 0;
    // Requests of narrower scopes' lanes in flight that count against this one.
    int m_childInFlight = 0;
    QList<Lane *> m_parents;
    // What the server last said, for the Remaining-vs-limit chart.
    std::optional<qint64> m_lastRemaining;
    std::optional<qint64> m_lastLimit;
    std::optional<TimePoint> m_lastResetAt;
};

} // namespace headroom::run
