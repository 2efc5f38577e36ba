#pragma once

#include "core/clock/Clock.h"
#include "core/rate/RetryPolicy.h"
#include "core/run/Job.h"
#include "core/run/RunObserver.h"

namespace headroom::rate {
struct RateSignals;
}

namespace headroom::run {

// The run-log line of one attempt: what was sent, what came back, what the
// rate signals said and what the lane decided. Pure: takes `now` and plain data.
class AttemptRecordBuilder
{
public:
    static AttemptRecord build(const QString &lane, const Job &job, int status, Duration latency,
                               const rate::RateSignals &rateSignals, const rate::RetryPolicy::Decision &decision,
                               TimePoint now, WallTime wallNow);
    // A decision as the run log names it ("done", "retry", "pause-lane", ...).
    static QString decisionName(rate::RetryPolicy::Decision::Kind kind);
};

} // namespace headroom::run
