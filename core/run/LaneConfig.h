#pragma once

#include "core/budget/SharedBudgetConfig.h"
#include "core/clock/Clock.h"
#include "core/http/Credentials.h"
#include "core/rate/CircuitBreaker.h"
#include "core/rate/RetryBudget.h"
#include "core/rate/RetryPolicy.h"
#include "core/scopes/ScopeSet.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace headroom::run {

// How one lane (one rate-limit scope: workspace × API) is set up: where it
// sends, with which secret, at what rate and with which strategies.
struct LaneConfig
{
    QString name; // shown in charts and logs, e.g. "customerio-track site:abc"
    QUrl baseUrl;
    http::Credentials credentials;

    // A known limit ("N per window"). Empty: none configured.
    std::optional<int> limit;
    Duration window = std::chrono::seconds(1);
    // Further windows that hold at once (per minute, per day), each an exact
    // sliding window beside the main one.
    QList<scopes::ScopeWindow> extraWindows;
    // Token bucket (GCRA) with this burst instead of an exact sliding window.
    bool tokenBucket = false;
    int burst = 0;
    // Uplink jitter allowed for by the sliding window (see SlidingWindowLimiter).
    Duration slidingMargin = std::chrono::milliseconds(5);

    bool followHeaders = true; // pace from X-RateLimit-* / RateLimit / msBeforeNext
    bool discover = false;     // find an unknown limit from 429s (AIMD/CUBIC)

    // Draw, with every lane of this process under the same key, from one
    // budget of `limit` per `window` (ProcessBudgets): the console's imports
    // into one scope. Empty: this lane's budget is its own.
    QString processBudgetKey;

    // Draw from a budget shared with other processes through Redis.
    std::optional<budget::SharedBudgetConfig> sharedBudget;

    // An ambiguous attempt of an operation the API cannot deduplicate
    // (transactional send, broadcast trigger) is sent again instead of
    // dead-lettered as "may have been applied" (--resend-ambiguous).
    bool resendAmbiguous = false;

    int concurrency = 48; // requests in flight at most
    Duration transferTimeout = std::chrono::seconds(30);

    rate::RetryPolicy::Config retry;
    rate::RetryBudget::Config budget;
    rate::CircuitBreaker::Config breaker;
    quint64 randomSeed = 0; // 0: seeded from the clock

    // The API's rate scopes. Set: this lane is the main scope, and the
    // Dispatcher routes each call to a lane per scope key, made from this
    // config on demand. Empty: every lane takes any call.
    std::optional<scopes::ScopeSet> scopes;
};

} // namespace headroom::run
