#pragma once

#include "core/imports/RowProblem.h"
#include "core/run/Job.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace headroom::run {

class Lane;

// One attempt as the run log records it: what was sent, what came back, what
// the rate signals said and what the engine decided.
struct AttemptRecord
{
    qint64 wallMs = 0; // when the response (or error) arrived, Unix ms
    QString lane;
    QString operation;
    QByteArray method;
    QString path;
    qint64 firstRow = 0;
    int rowCount = 0;
    int attempt = 0;
    int status = 0; // 0: no HTTP response
    QString error;  // transport error / timeout text
    double latencyMs = 0;
    qint64 remaining = -1; // -1: not sent by the server
    qint64 limit = -1;
    double resetInS = -1;
    double retryAfterS = -1;
    QString decision;   // done, retry, pause-lane, dead-letter, split, cancelled
    QString outcome;    // delivered, ambiguous, rejected:<class> (AttemptOutcome::name)
    double delayMs = 0; // retry / pause delay
    QString reason;
    QStringList ignoredSignals; // rate headers that were present but unusable
};

// Rows that ended in a dead letter, with the reason and the last response.
struct FailedRows
{
    QString lane;
    imports::ApiCall call; // the call (or batch subset) the rows travelled in
    QList<qint64> rows;
    QList<qint64> lines;
    int attempts = 0;
    int lastStatus = 0;
    QByteArray lastBody; // first 2 KB
    QString reason;
    QByteArray raw; // the row's bytes, for rows rejected before sending
    // Rejected (with its class) or ambiguous: the server may have applied it.
    AttemptOutcome outcome{AttemptOutcome::Kind::Rejected, AttemptOutcome::RejectClass::Other};
};

// Everything the run's files (journal, dead letters, run log) need to hear,
// called on the engine thread in the order things happen. Default: ignore.
class RunObserver
{
public:
    virtual ~RunObserver() = default;
    virtual void callSent(const Job &job) { Q_UNUSED(job); }
    virtual void attemptFinished(const AttemptRecord &record) { Q_UNUSED(record); }
    virtual void rowsDone(const QList<qint64> &rows) { Q_UNUSED(rows); }
    virtual void rowsFailed(const FailedRows &failed) { Q_UNUSED(failed); }
    // The engine has handled one event (a reply, a wake-up) and is about to
    // return to its event loop: an observer that gathers writes within an
    // event hands them to the kernel here.
    virtual void eventEnded() {}
    // The lanes exist and nothing was sent yet (restore learned state here);
    // then every sample period; then once when the run has ended.
    virtual void lanesStarted(const QList<Lane *> &lanes, TimePoint now)
    {
        Q_UNUSED(lanes);
        Q_UNUSED(now);
    }
    // A lane made during the run for a scope key seen for the first time
    // (restore its learned state here); it is in every later lanes* call.
    virtual void laneAdded(Lane *lane, TimePoint now)
    {
        Q_UNUSED(lane);
        Q_UNUSED(now);
    }
    virtual void lanesSampled(const QList<Lane *> &lanes, TimePoint now)
    {
        Q_UNUSED(lanes);
        Q_UNUSED(now);
    }
    virtual void lanesFinished(const QList<Lane *> &lanes, TimePoint now)
    {
        Q_UNUSED(lanes);
        Q_UNUSED(now);
    }
};

} // namespace headroom::run
