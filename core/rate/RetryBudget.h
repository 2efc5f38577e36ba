#pragma once

#include "core/clock/Clock.h"

#include <QtGlobal>

#include <deque>

namespace headroom::rate {

// Caps how much extra traffic retries may add to a lane, so an API that fails
// gets less traffic from us, not more. Two rules, as the best clients use them:
//  - Ratio (Google SRE / Finagle): retries in the last `ratioWindow` may not
//    exceed `ratio` × first attempts in it, plus a small floor.
//  - TokenQuota (AWS "standard" mode): a bucket of `quota` tokens; a retry
//    costs `retryCost` (`timeoutRetryCost` after a timeout); a first-try
//    success gives back `successRefill`, a success after retries refunds the
//    cost it spent.
class RetryBudget
{
public:
    enum class Mode { Ratio,
                      TokenQuota };
    struct Config
    {
        Mode mode = Mode::TokenQuota;
        // Ratio
        double ratio = 0.1;
        int floor = 10;
        Duration ratioWindow = std::chrono::seconds(10);
        // TokenQuota
        int quota = 500;
        int retryCost = 5;
        int timeoutRetryCost = 10;
        int successRefill = 1;
    };

    RetryBudget();
    explicit RetryBudget(Config config);

    // Every first attempt (not retries).
    void onRequest(TimePoint now);
    // Asks to spend on one retry; returns the cost taken (> 0) or 0 when the
    // budget is spent — then do not retry.
    int tryAcquireRetry(TimePoint now, bool afterTimeout = false);
    // A request succeeded; `spentOnIt` is what its retries took (0 on a first try).
    void onSuccess(TimePoint now, int spentOnIt = 0);

    // Tokens left (TokenQuota) or retries still allowed now (Ratio).
    double available(TimePoint now) const;
    const Config &config() const { return m_config; }

private:
    void expire(TimePoint now) const;

    Config m_config;
    int m_tokens;
    mutable std::deque<TimePoint> m_requests;
    mutable std::deque<TimePoint> m_retries;
};

} // namespace headroom::rate
