#include "core/run/AttemptRecordBuilder.h"

#include "core/rate/RateSignals.h"

#include <algorithm>

namespace headroom::run {

namespace {

double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}

} // namespace

QString AttemptRecordBuilder::decisionName(rate::RetryPolicy::Decision::Kind kind)
{
    using Kind = rate::RetryPolicy::Decision::Kind;
    switch (kind) {
    case Kind::Done:
        return QStringLiteral("done");
    case Kind::RetryAt:
        return QStringLiteral("retry");
    case Kind::PauseLane:
        return QStringLiteral("pause-lane");
    case Kind::DeadLetter:
        return QStringLiteral("dead-letter");
    case Kind::SplitBatch:
        return QStringLiteral("split");
    }
    return {};
}

AttemptRecord AttemptRecordBuilder::build(const QString &lane, const Job &job, int status, Duration latency,
                                          const rate::RateSignals &rateSignals,
                                          const rate::RetryPolicy::Decision &decision, TimePoint now,
                                          WallTime wallNow)
{
    AttemptRecord record;
    record.wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(wallNow.time_since_epoch()).count();
    record.lane = lane;
    record.operation = job.call.operation;
    record.method = job.call.method;
    record.path = job.call.path;
    record.firstRow = job.call.rows.isEmpty() ? 0 : job.call.rows.first();
    record.rowCount = int(job.call.rows.size());
    record.attempt = job.attempt;
    record.status = status;
    record.error = job.lastError;
    record.latencyMs = std::chrono::duration<double, std::milli>(latency).count();
    if (rateSignals.remaining)
        record.remaining = *rateSignals.remaining;
    else if (rateSignals.remainingPoints)
        record.remaining = *rateSignals.remainingPoints;
    if (auto limit = rateSignals.impliedLimit())
        record.limit = *limit;
    if (rateSignals.resetAt)
        record.resetInS = std::max(0.0, seconds(*rateSignals.resetAt - now));
    if (rateSignals.retryAfter)
        record.retryAfterS = seconds(*rateSignals.retryAfter);
    else if (rateSignals.msBeforeNext)
        record.retryAfterS = seconds(*rateSignals.msBeforeNext);
    record.ignoredSignals = rateSignals.ignored;
    record.decision = decisionName(decision.kind);
    record.delayMs = std::chrono::duration<double, std::milli>(decision.delay).count();
    record.reason = decision.reason;
    record.outcome = job.lastOutcome.name();
    return record;
}

} // namespace headroom::run
