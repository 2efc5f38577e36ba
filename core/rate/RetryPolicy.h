#pragma once

#include "core/rate/Limiter.h"

#include <QString>

#include <optional>

#include <random>

namespace headroom::rate {

class RetryBudget;

// Decides what happens to a request after one attempt: done, retry at a time,
// dead letter (with the reason), split the batch, or pause the whole lane.
// Pure: it takes `now` and an injected random source, so a seeded generator
// makes every jittered delay reproducible in tests.
//
// A RetryAt time is "not before": the dispatcher puts the request back through
// the lane's LimiterStack, so a retry never bypasses a limit. A 429 carrying a
// server wait (Retry-After, msBeforeNext, or Remaining: 0 with a Reset) gives
// PauseLane: every request of the lane waits, not only this one. No throttle
// uses up a request's attempts or its deadline: a 429 without a wait goes back
// through the lane's limiters at once (they learn from it and hold the lane),
// and the run, not the row, gives up on a server that never stops throttling.
class RetryPolicy
{
public:
    enum class Outcome { Done,
                         Throttled,
                         Retryable,
                         Permanent,
                         SplitBatch };
    struct Classification
    {
        Outcome outcome = Outcome::Done;
        QString reason;
    };

    enum class Jitter { Full,
                        Decorrelated };
    struct Config
    {
        int maxAttempts = 5;                          // attempts in all, the first included
        Duration deadline = std::chrono::minutes(10); // from the first attempt
        Duration baseDelay = std::chrono::milliseconds(200);
        Duration maxDelay = std::chrono::seconds(30); // cap of the computed delay
        Jitter jitter = Jitter::Full;
        Duration serverWaitCap = std::chrono::seconds(300); // cap of a server-requested wait
    };

    struct Decision
    {
        enum class Kind { Done,
                          RetryAt,
                          DeadLetter,
                          SplitBatch,
                          PauseLane };
        Kind kind = Kind::Done;
        TimePoint at{};   // RetryAt: not before; PauseLane: lane paused until (then retry)
        Duration delay{}; // at - now, for the run log
        QString reason;   // why (dead letter, pause, retry cause)
        Classification classification;
        int budgetSpent = 0; // taken from the RetryBudget; refund it on success
    };

    using RandomSource = std::mt19937_64;

    RetryPolicy();
    explicit RetryPolicy(Config config);

    const Config &config() const { return m_config; }

    static Classification classify(const ResponseObservation &observation);
    static QString outcomeName(Outcome outcome);
    static QString kindName(Decision::Kind kind);

    // attempt: attempts made so far, this one included (1 after the first).
    // previousDelay: the last delay given for this request (decorrelated jitter).
    // budget: when given, every retry of an error must be paid from it.
    Decision decide(int attempt, TimePoint firstAttemptAt, const ResponseObservation &observation, TimePoint now,
                    RandomSource &random, Duration previousDelay = {}, RetryBudget *budget = nullptr) const;

    // The computed delay before retry number `attempt` (1-based), jittered.
    Duration backoff(int attempt, Duration previousDelay, RandomSource &random) const;

private:
    Decision throttled(Decision d, std::optional<TimePoint> serverWait, const QString &serverSaid, TimePoint now) const;

    Config m_config;
};

} // namespace headroom::rate
