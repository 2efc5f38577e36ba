#include "core/run/LaneSlot.h"

#include "core/run/LivenessGuard.h"
#include "core/run/ParentScopeLimiter.h"

namespace headroom::run {

namespace {

constexpr qsizetype kKeptBodyBytes = 2048;

} // namespace

LaneSlot::LaneSlot(const LaneConfig &config, TimePoint now)
    : lane(std::make_unique<Lane>(config, now))
    , requests(config.baseUrl, config.credentials)
    , quietSince(now)
{
}

TimePoint LaneSlot::guardDueAt(bool rowsUnread, bool scoped, TimePoint now) const
{
    // Work: rows unread or held back (waiting all along), or a retry from the
    // moment it is due.
    const TimePoint workFrom = (hasQueued() || rowsUnread) ? quietSince : lane->nextRetryDue();
    // A lane held by its wider scope's lane waits what that lane was told
    // (a pause, a reset), which this lane's guard cannot see: the wider
    // lane's own guard speaks for both.
    if (scoped && ParentScopeLimiter::isParentName(lane->limiters().binding(now).limiter))
        return TimePoint::max();
    return LivenessGuard::dueAt(*lane, workFrom, quietSince, toldUntil, now);
}

rate::RetryPolicy::Decision LaneSlot::takeAnswer(Job &job, const ReplyReader::Reading &answer, LaneNotices &notices,
                                                 TimePoint now)
{
    const rate::ResponseObservation observation = answer.observation();
    job.lastWireAt = observation.wireAt;
    job.lastOutcome = answer.outcome;
    // An ambiguous attempt goes again only as the same request, with the same
    // key, and only where the API drops the copy (or the operator allows it).
    const bool mayResend = job.lastOutcome.kind != AttemptOutcome::Kind::Ambiguous || lane->config().resendAmbiguous
                           || AttemptOutcome::resendIsSafe(job.call.operation, job.call.path);
    const std::optional<int> limitBefore = lane->config().limit;
    const Duration windowBefore = lane->config().window;
    const rate::RetryPolicy::Decision decision = lane->onResult(now, job, observation, mayResend);
    if (lane->config().limit != limitBefore || lane->config().window != windowBefore)
        notices.noteScopeLimit(*lane, limitBefore, windowBefore);
    toldUntil = LivenessGuard::toldUntil(toldUntil, answer.rateSignals, decision, now);
    if (answer.status == 429)
        notices.noteGrantedBudget(*lane, grantedTold);
    // Set after the lane's decision: a retry it queued carries the attempt
    // before this one's.
    job.lastBody = answer.body.left(kKeptBodyBytes);
    job.lastError = answer.error;
    return decision;
}

} // namespace headroom::run
