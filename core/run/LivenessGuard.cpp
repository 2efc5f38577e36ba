#include "core/run/LivenessGuard.h"

#include "core/rate/RateSignals.h"
#include "core/run/Lane.h"

#include <QCoreApplication>

#include <algorithm>

namespace headroom::run {

namespace {
double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}
} // namespace

TimePoint LivenessGuard::toldUntil(TimePoint told, const rate::RateSignals &reported,
                                   const rate::RetryPolicy::Decision &decision, TimePoint now)
{
    using Kind = rate::RetryPolicy::Decision::Kind;
    if (reported.resetAt)
        told = std::max(told, later(*reported.resetAt, reported.resetResolution));
    if (reported.retryAfter)
        told = std::max(told, later(now, *reported.retryAfter));
    if (reported.retryAfterAt)
        told = std::max(told, *reported.retryAfterAt);
    if (reported.msBeforeNext)
        told = std::max(told, later(now, *reported.msBeforeNext));
    if (decision.kind == Kind::RetryAt || decision.kind == Kind::PauseLane)
        told = std::max(told, decision.at);
    return told;
}

TimePoint LivenessGuard::dueAt(const Lane &lane, TimePoint workFrom, TimePoint quietSince, TimePoint toldUntil,
                               TimePoint now)
{
    // An open breaker's time is a justified wait; the half-open probe follows.
    if (workFrom == TimePoint::max() || lane.inFlight() > 0
        || lane.breakerState(now) == rate::CircuitBreaker::State::Open)
        return TimePoint::max();
    // The waits a lane can justify: its window (and arrival margin) after its
    // last send or answer, the spacing of the pace its limiters keep, and what
    // it was told: a reset, a Retry-After, a pause, a retry's due time.
    Duration spacing = lane.config().window + lane.slidingMargin();
    const double rate = lane.limiters().currentRate(now);
    if (rate > 0)
        spacing = std::max(spacing, std::chrono::duration_cast<Duration>(
                                        std::chrono::duration<double>(std::min(1.0 / rate, 1e6))));
    TimePoint justified = std::max({later(quietSince, spacing), toldUntil, lane.limiters().pausedUntil(), workFrom});
    // A rate of zero is a window the server said is spent (the header pacer,
    // from this process's answers or, after a resume, the last one's): it
    // holds until that window ends.
    if (rate == 0)
        justified = std::max(justified, lane.limiters().binding(now).until);
    return later(justified, kGrace);
}

QString LivenessGuard::noticeText(const rate::LimiterStack::Binding &binding, Duration idle, TimePoint now)
{
    QString rule = binding.limiter.isEmpty()
                       ? QCoreApplication::translate("LivenessGuard", "no limiter (the lane itself)")
                       : binding.limiter;
    if (!binding.reason.isEmpty())
        rule += QStringLiteral(" (%1)").arg(binding.reason);
    const QString until = binding.until == TimePoint::max()
                              ? QCoreApplication::translate("LivenessGuard", "until a response")
                              : QCoreApplication::translate("LivenessGuard", "for %1 s more").arg(seconds(binding.until - now), 0, 'f', 1);
    return QCoreApplication::translate("LivenessGuard",
                                       "liveness guard: %1 held the lane %2 after %3 s idle with work waiting and "
                                       "nothing in flight, past every wait it was given; sending one request anyway")
        .arg(rule, until)
        .arg(seconds(idle), 0, 'f', 1);
}

} // namespace headroom::run
