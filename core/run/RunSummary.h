#pragma once

#include "core/metrics/LaneSnapshot.h"
#include "core/run/AttemptOutcome.h"
#include "core/run/OutcomeCounts.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <array>

namespace headroom::run {

// The end of a run in numbers: the fields of the summary JSON contract in
// ../shared/DESIGN.md, plus how it ended.
struct RunSummary
{
    // GaveUp: no row finished for the give-up bound while work remained; the
    // unfinished rows are left for a resume, like Drained.
    enum class Ending { Completed,
                        Cancelled,
                        Drained,
                        Failed,
                        GaveUp };

    Ending ending = Ending::Completed;
    QString error;        // file-level failure, when Failed
    QString stopped;      // why the run stopped on its own, when GaveUp ("no progress for 30m")
    qint64 rowsTotal = 0; // rows read (bad ones included, resumed-skipped ones not)
    qint64 rowsDone = 0;
    qint64 rowsFailed = 0;       // dead-lettered (bad rows included)
    qint64 rowsBad = 0;          // of rowsFailed: rejected before sending
    qint64 rowsNotAttempted = 0; // left for a resume (cancel / drain / give up)
    qint64 rowsSkipped = 0;      // already done in an earlier run (resume)
    qint64 rowsUnchanged = 0;    // left out: the destination already accepted them as they are
    qint64 rowsResent = 0;       // in flight when an earlier run died: sent again (resume)
    qint64 requests = 0;
    qint64 responses429 = 0;
    qint64 retries = 0;
    qint64 timeouts = 0;
    qint64 transportErrors = 0;
    qint64 responses5xx = 0;
    // Of rowsFailed: rejected, by class (AttemptOutcome::RejectClass order),
    // and ambiguous (the server may have applied them). Delivered = rowsDone.
    std::array<qint64, OutcomeCounts::kRejectClasses> rowsRejectedBy{};
    qint64 rowsAmbiguous = 0;
    // Attempts that may have been applied: retried with the same key, or
    // dead-lettered where a copy would not be deduplicated.
    qint64 attemptsAmbiguous = 0;
    double elapsedS = 0;
    QList<metrics::LaneSnapshot> lanes;

    void countOutcome(const AttemptOutcome &outcome, qint64 rows);
    qint64 rowsRejected() const;
    // The rows by outcome class, delivered being rowsDone.
    OutcomeCounts outcomes() const;
    // "998 delivered, 1 rejected (schema 1), 1 ambiguous": the CLI's last line.
    QString outcomeText() const;
    double rowsPerS() const { return elapsedS > 0 ? double(rowsDone) / elapsedS : 0; }
    double requestsPerS() const { return elapsedS > 0 ? double(requests) / elapsedS : 0; }
    static QString endingName(Ending ending);
    QJsonObject toJson() const;
};

} // namespace headroom::run

Q_DECLARE_METATYPE(headroom::run::RunSummary)
