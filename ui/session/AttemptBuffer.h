#pragma once

#include "core/run/RunObserver.h"

#include <QList>
#include <QMutex>

namespace headroom::ui {

// The bridge from the engine thread to the GUI: the engine appends attempts
// and dead letters under a mutex (microseconds), the GUI takes them all at
// once on its 10 Hz timer, so a busy run costs the event loop one swap per
// tick instead of one queued call per attempt.
class AttemptBuffer final : public run::RunObserver
{
public:
    void attemptFinished(const run::AttemptRecord &record) override;
    void rowsFailed(const run::FailedRows &failed) override;

    QList<run::AttemptRecord> takeAttempts();
    QList<run::FailedRows> takeFailed();

private:
    QMutex m_mutex;
    QList<run::AttemptRecord> m_attempts;
    QList<run::FailedRows> m_failed;
};

} // namespace headroom::ui
