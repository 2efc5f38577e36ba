#pragma once

#include "core/clock/Clock.h"
#include "core/imports/Batcher.h"
#include "core/imports/RowProblem.h"
#include "core/rate/RetryPolicy.h"
#include "core/run/AttemptOutcome.h"
#include "core/run/Job.h"
#include "core/run/RunObserver.h"
#include "core/run/RunSummary.h"

#include <QCoreApplication>

#include <optional>
#include <vector>

namespace headroom::run {

class ProgressWatch;
class ScopeLanes;

// What an attempt's decision does to the rows it carried: done, dead-lettered,
// split into halves sent again first, or a batch's per-row results (done rows,
// failed rows, and a batch of the rest again). Counts the rows in the run's
// summary and its lanes, tells the observers, and notes the progress the
// give-up bound watches.
class RowSettler
{
    Q_DECLARE_TR_FUNCTIONS(RowSettler)
public:
    // The references are the Dispatcher's and outlive this; `nextJobId` is
    // the run's job numbering, shared with the calls it reads.
    RowSettler(ScopeLanes &lanes, RunSummary &summary, ProgressWatch &progress, const Clock &clock,
               const std::vector<RunObserver *> &observers, quint64 &nextJobId);

    // A retry or a pause leaves the job with its lane: it goes back through
    // the limiters. `batcher`: the source's, when it batches rows.
    void settle(int laneIndex, Job &job, const std::optional<imports::Batcher> &batcher,
                const rate::RetryPolicy::Decision &decision, int status, const QByteArray &body, AttemptRecord &record);
    // Bad rows the source found: each a failed row with its line and reason.
    void reportBadRows(const QList<imports::RowProblem> &problems);

private:
    // A batch's own answer: per-row results or a split. False when it leaves
    // the decision to the retry policy's (every row again, not retryable).
    bool settleBatch(int laneIndex, Job &job, const imports::Batcher &batcher, const rate::RetryPolicy::Decision &decision,
                     int status, const QByteArray &body, AttemptRecord &record);
    // Per-row results: done rows, failed rows, and a batch of the rest again.
    void settleBatchRows(int laneIndex, const Job &job, const imports::Batcher &batcher,
                         const imports::BatchResult &result, AttemptRecord &record);
    void markDone(int laneIndex, const Job &job, const QList<qint64> &rows);
    void markFailed(int laneIndex, const Job &job, const QList<qint64> &rows, const QList<qint64> &lines,
                    const QString &reason, const AttemptOutcome &outcome);

    ScopeLanes &m_lanes;
    RunSummary &m_summary;
    ProgressWatch &m_progress;
    const Clock &m_clock;
    const std::vector<RunObserver *> &m_observers;
    quint64 &m_nextJobId;
};

} // namespace headroom::run
