#pragma once

#include "core/clock/Clock.h"
#include "core/rate/LimiterStack.h"
#include "core/rate/RetryPolicy.h"

#include <QString>

namespace headroom::rate {
struct RateSignals;
}

namespace headroom::run {

class Lane;

// The liveness guard's decisions, a second line of defence behind the
// limiters: a lane with work, nothing in flight and no open breaker that has
// sat idle past the longest wait anything justified, plus a grace, sends one
// request anyway, and the run log says which rule held it. Pure: the
// Dispatcher keeps each lane's `quietSince` and `toldUntil` and turns the
// answer into a timer.
class LivenessGuard
{
public:
    // How far past its longest justified wait a lane may sit idle with work.
    static constexpr Duration kGrace = std::chrono::seconds(1);

    // The latest wait the server or the retry policy gave a lane, with this
    // answer's: a reset (to the end of its resolution), a Retry-After,
    // msBeforeNext, a retry's due time.
    static TimePoint toldUntil(TimePoint told, const rate::RateSignals &reported,
                               const rate::RetryPolicy::Decision &decision, TimePoint now);

    // When the guard may send for a lane idle since `quietSince` with work
    // waiting since `workFrom` (TimePoint::max(): never).
    static TimePoint dueAt(const Lane &lane, TimePoint workFrom, TimePoint quietSince, TimePoint toldUntil,
                           TimePoint now);

    // The run log's line for a request the guard sends.
    static QString noticeText(const rate::LimiterStack::Binding &binding, Duration idle, TimePoint now);

    // `at + d`, or TimePoint::max() where that would overflow.
    static TimePoint later(TimePoint at, Duration d)
    {
        return d >= TimePoint::max() - at ? TimePoint::max() : at + d;
    }
};

} // namespace headroom::run
