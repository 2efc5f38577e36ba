#pragma once

#include "core/run/OutcomeCounts.h"
#include "core/run/RunObserver.h"

#include <QList>
#include <QMutex>

namespace headroom::ui {

// The bridge from the engine thread to the GUI: the engine appends attempts
// and dead letters under a mutex (microseconds), the GUI takes them all at
// once on its 10 Hz timer, so a busy run costs the event loop one swap per
// tick instead of one queued call per attempt. It also tallies how the rows
// ended (delivered, rejected by class, ambiguous) as the engine tells them.
class AttemptBuffer final : public run::RunObserver
{
public:
    void attemptFinished(const run::AttemptRecord &record) override;
    void rowsDone(const QList<qint64> &rows) override;
    void rowsFailed(const run::FailedRows &failed) override;

    QList<run::AttemptRecord> takeAttempts();
    QList<run::FailedRows> takeFailed();
    run::OutcomeCounts outcomes();
    // Empties the buffer and its tally for the next run.
    void clear();

private:
    QMutex m_mutex;
    QList<run::AttemptRecord> m_attempts;
    QList<run::FailedRows> m_failed;
    run::OutcomeCounts m_outcomes;
};

} // namespace headroom::ui
