#include "core/run/RowSettler.h"

#include "core/run/ProgressWatch.h"
#include "core/run/ScopeLanes.h"

namespace headroom::run {

using rate::RetryPolicy;
using Kind = RetryPolicy::Decision::Kind;

namespace {

constexpr AttemptOutcome kTooLarge{AttemptOutcome::Kind::Rejected, AttemptOutcome::RejectClass::Size};

} // namespace

RowSettler::RowSettler(ScopeLanes &lanes, RunSummary &summary, ProgressWatch &progress, const Clock &clock,
                       const std::vector<RunObserver *> &observers, quint64 &nextJobId)
    : m_lanes(lanes)
    , m_summary(summary)
    , m_progress(progress)
    , m_clock(clock)
    , m_observers(observers)
    , m_nextJobId(nextJobId)
{
}

void RowSettler::settle(int laneIndex, Job &job, const std::optional<imports::Batcher> &batcher,
                        const RetryPolicy::Decision &decision, int status, const QByteArray &body, AttemptRecord &record)
{
    const bool isBatch = batcher.has_value() && job.call.operation == QLatin1String("batch");

    if (decision.kind == Kind::RetryAt || decision.kind == Kind::PauseLane)
        return; // queued by the lane; goes back through its limiters

    if (isBatch && settleBatch(laneIndex, job, *batcher, decision, status, body, record))
        return;

    switch (decision.kind) {
    case Kind::Done:
        markDone(laneIndex, job, job.call.rows);
        break;
    case Kind::SplitBatch:
        markFailed(laneIndex, job, job.call.rows, job.call.lines,
                   tr("HTTP 413: the request is too large for the API and cannot be split"), kTooLarge);
        record.decision = QStringLiteral("dead-letter");
        break;
    case Kind::DeadLetter:
        markFailed(laneIndex, job, job.call.rows, job.call.lines, decision.reason,
                   job.lastOutcome.kind == AttemptOutcome::Kind::Delivered
                       ? AttemptOutcome{AttemptOutcome::Kind::Rejected, AttemptOutcome::RejectClass::Other}
                       : job.lastOutcome);
        break;
    case Kind::RetryAt:
    case Kind::PauseLane:
        break;
    }
}

bool RowSettler::settleBatch(int laneIndex, Job &job, const imports::Batcher &batcher,
                             const RetryPolicy::Decision &decision, int status, const QByteArray &body,
                             AttemptRecord &record)
{
    const imports::BatchResult result = batcher.mapResponse(job.call, status, body);
    switch (result.action) {
    case imports::BatchResult::Action::Settled:
        settleBatchRows(laneIndex, job, batcher, result, record);
        return true;
    case imports::BatchResult::Action::Split: {
        if (job.call.rows.size() > 1) {
            LaneSlot &slot = *m_lanes[size_t(laneIndex)];
            const QList<imports::ApiCall> halves = batcher.split(job.call);
            for (auto it = halves.crbegin(); it != halves.crend(); ++it) {
                Job half;
                half.id = m_nextJobId++;
                half.call = *it;
                slot.held.push_front(std::move(half));
            }
            record.decision = QStringLiteral("split");
            record.reason = result.reason;
            return true;
        }
        markFailed(laneIndex, job, job.call.rows, job.call.lines,
                   result.reason.isEmpty() ? decision.reason : result.reason, kTooLarge);
        record.decision = QStringLiteral("dead-letter");
        return true;
    }
    case imports::BatchResult::Action::RetryAll:
        break; // the policy already decided (not retryable any more)
    }
    return false;
}

void RowSettler::settleBatchRows(int laneIndex, const Job &job, const imports::Batcher &batcher,
                                 const imports::BatchResult &result, AttemptRecord &record)
{
    QList<qint64> done;
    QList<qint64> again;
    for (const imports::RowOutcome &row : result.rows) {
        if (row.kind == imports::RowOutcome::Kind::Done) {
            done << row.row;
        } else if (row.kind == imports::RowOutcome::Kind::Failed) {
            markFailed(laneIndex, job, {row.row}, {row.line}, row.reason, AttemptOutcome::ofProblem(false, row.reason));
        } else {
            again << row.row;
        }
    }
    if (!done.isEmpty())
        markDone(laneIndex, job, done);
    if (!again.isEmpty()) {
        Job retry = job;
        retry.id = m_nextJobId++;
        retry.call = batcher.subset(job.call, again);
        m_lanes[size_t(laneIndex)]->held.push_front(std::move(retry));
        record.decision = QStringLiteral("partial");
    }
}

void RowSettler::markDone(int laneIndex, const Job &job, const QList<qint64> &rows)
{
    Lane &lane = *m_lanes[size_t(laneIndex)]->lane;
    lane.onRowsDone(job.lastWireAt != TimePoint{} ? job.lastWireAt : job.lastSentAt, rows.size());
    m_summary.rowsDone += rows.size();
    m_progress.noteProgress(m_clock.now());
    for (RunObserver *o : m_observers)
        o->rowsDone(rows);
}

void RowSettler::markFailed(int laneIndex, const Job &job, const QList<qint64> &rows, const QList<qint64> &lines,
                            const QString &reason, const AttemptOutcome &outcome)
{
    Lane &lane = *m_lanes[size_t(laneIndex)]->lane;
    lane.counters().rowsFailed += rows.size();
    m_summary.rowsFailed += rows.size();
    m_summary.countOutcome(outcome, rows.size());
    m_progress.noteProgress(m_clock.now());
    FailedRows failed;
    failed.lane = lane.config().name;
    failed.call = job.call;
    failed.rows = rows;
    failed.lines = lines;
    failed.attempts = job.attempt;
    failed.lastStatus = job.lastStatus;
    failed.lastBody = job.lastBody;
    failed.reason = reason;
    failed.outcome = outcome;
    for (RunObserver *o : m_observers)
        o->rowsFailed(failed);
}

void RowSettler::reportBadRows(const QList<imports::RowProblem> &problems)
{
    for (const imports::RowProblem &problem : problems) {
        if (problem.row <= 0)
            continue; // file-level: reported through fatalError()
        ++m_summary.rowsTotal;
        ++m_summary.rowsBad;
        FailedRows failed;
        failed.lane = m_lanes.empty() ? QString() : m_lanes.front()->lane->config().name;
        failed.rows = {problem.row};
        failed.lines = {problem.line};
        failed.reason = problem.toText();
        failed.raw = problem.raw;
        failed.outcome = AttemptOutcome::ofProblem(problem.payloadRule, problem.message);
        m_summary.countOutcome(failed.outcome, 1);
        ++m_summary.rowsFailed;
        m_progress.noteProgress(m_clock.now());
        if (!m_lanes.empty())
            ++m_lanes.front()->lane->counters().rowsFailed;
        for (RunObserver *o : m_observers)
            o->rowsFailed(failed);
    }
}

} // namespace headroom::run
