#include "core/run/RunSummary.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace headroom::run {

QString RunSummary::endingName(Ending ending)
{
    switch (ending) {
    case Ending::Completed:
        return QStringLiteral("completed");
    case Ending::Cancelled:
        return QStringLiteral("cancelled");
    case Ending::Drained:
        return QStringLiteral("drained");
    case Ending::Failed:
        return QStringLiteral("failed");
    case Ending::GaveUp:
        return QStringLiteral("gave-up");
    }
    return {};
}

void RunSummary::countOutcome(const AttemptOutcome &outcome, qint64 rows)
{
    if (outcome.kind == AttemptOutcome::Kind::Ambiguous)
        rowsAmbiguous += rows;
    else if (outcome.kind == AttemptOutcome::Kind::Rejected)
        rowsRejectedBy[size_t(outcome.rejectClass)] += rows;
}

qint64 RunSummary::rowsRejected() const
{
    return outcomes().rejected();
}

OutcomeCounts RunSummary::outcomes() const
{
    OutcomeCounts counts;
    counts.delivered = rowsDone;
    counts.rejectedBy = rowsRejectedBy;
    counts.ambiguous = rowsAmbiguous;
    counts.attemptsAmbiguous = attemptsAmbiguous;
    return counts;
}

QString RunSummary::outcomeText() const
{
    QString text = outcomes().text();
    if (rowsUnchanged > 0)
        text += QCoreApplication::translate("RunSummary", ", %1 unchanged (not sent)").arg(rowsUnchanged);
    return text;
}

QJsonObject RunSummary::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("ending")] = endingName(ending);
    if (!error.isEmpty())
        o[QStringLiteral("error")] = error;
    if (!stopped.isEmpty())
        o[QStringLiteral("stopped")] = stopped;
    o[QStringLiteral("rows_total")] = rowsTotal;
    o[QStringLiteral("rows_done")] = rowsDone;
    o[QStringLiteral("rows_failed")] = rowsFailed;
    o[QStringLiteral("rows_bad")] = rowsBad;
    o[QStringLiteral("rows_not_attempted")] = rowsNotAttempted;
    o[QStringLiteral("rows_skipped")] = rowsSkipped;
    o[QStringLiteral("rows_unchanged")] = rowsUnchanged;
    o[QStringLiteral("rows_resent")] = rowsResent;
    o[QStringLiteral("requests")] = requests;
    o[QStringLiteral("responses_429")] = responses429;
    o[QStringLiteral("responses_5xx")] = responses5xx;
    o[QStringLiteral("retries")] = retries;
    o[QStringLiteral("timeouts")] = timeouts;
    o[QStringLiteral("transport_errors")] = transportErrors;
    o[QStringLiteral("rows_delivered")] = rowsDone;
    o[QStringLiteral("rows_rejected")] = rowsRejected();
    QJsonObject byClass;
    for (int c = 0; c < int(rowsRejectedBy.size()); ++c)
        byClass[AttemptOutcome::rejectClassName(AttemptOutcome::RejectClass(c))] = rowsRejectedBy[size_t(c)];
    o[QStringLiteral("rows_rejected_by")] = byClass;
    o[QStringLiteral("rows_ambiguous")] = rowsAmbiguous;
    o[QStringLiteral("attempts_ambiguous")] = attemptsAmbiguous;
    o[QStringLiteral("elapsed_s")] = elapsedS;
    o[QStringLiteral("rows_per_s")] = rowsPerS();
    o[QStringLiteral("requests_per_s")] = requestsPerS();
    QJsonArray lanesJson;
    for (const auto &lane : lanes) {
        QJsonObject l;
        l[QStringLiteral("lane")] = lane.lane;
        l[QStringLiteral("requests")] = lane.requests;
        l[QStringLiteral("responses_429")] = lane.responses429;
        l[QStringLiteral("retries")] = lane.retries;
        l[QStringLiteral("rows_done")] = lane.rowsDone;
        l[QStringLiteral("rows_failed")] = lane.rowsFailed;
        l[QStringLiteral("last_remaining")] = lane.remaining;
        l[QStringLiteral("last_limit")] = lane.limit;
        l[QStringLiteral("breaker")] = lane.breakerState;
        if (!lane.budgetMode.isEmpty()) {
            l[QStringLiteral("shared_budget_mode")] = lane.budgetMode;
            l[QStringLiteral("shared_budget_processes")] = lane.budgetProcesses;
        }
        lanesJson.append(l);
    }
    o[QStringLiteral("lanes")] = lanesJson;
    return o;
}

} // namespace headroom::run
