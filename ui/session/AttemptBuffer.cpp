#include "ui/session/AttemptBuffer.h"

#include <QMutexLocker>

namespace headroom::ui {

void AttemptBuffer::attemptFinished(const run::AttemptRecord &record)
{
    QMutexLocker lock(&m_mutex);
    m_attempts.append(record);
}

void AttemptBuffer::rowsFailed(const run::FailedRows &failed)
{
    QMutexLocker lock(&m_mutex);
    m_failed.append(failed);
}

QList<run::AttemptRecord> AttemptBuffer::takeAttempts()
{
    QList<run::AttemptRecord> taken;
    QMutexLocker lock(&m_mutex);
    taken.swap(m_attempts);
    return taken;
}

QList<run::FailedRows> AttemptBuffer::takeFailed()
{
    QList<run::FailedRows> taken;
    QMutexLocker lock(&m_mutex);
    taken.swap(m_failed);
    return taken;
}

} // namespace headroom::ui
