#include "ui/session/AttemptBuffer.h"

#include <QMutexLocker>

namespace headroom::ui {

void AttemptBuffer::attemptFinished(const run::AttemptRecord &record)
{
    const bool ambiguous = record.outcome == run::AttemptOutcome::kindName(run::AttemptOutcome::Kind::Ambiguous);
    QMutexLocker lock(&m_mutex);
    m_attempts.append(record);
    if (ambiguous)
        ++m_outcomes.attemptsAmbiguous;
}

void AttemptBuffer::rowsDone(const QList<qint64> &rows)
{
    QMutexLocker lock(&m_mutex);
    m_outcomes.delivered += rows.size();
}

void AttemptBuffer::rowsFailed(const run::FailedRows &failed)
{
    QMutexLocker lock(&m_mutex);
    m_failed.append(failed);
    m_outcomes.countRows(failed.outcome, failed.rows.size());
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

run::OutcomeCounts AttemptBuffer::outcomes()
{
    QMutexLocker lock(&m_mutex);
    return m_outcomes;
}

void AttemptBuffer::clear()
{
    QMutexLocker lock(&m_mutex);
    m_attempts.clear();
    m_failed.clear();
    m_outcomes = {};
}

} // namespace headroom::ui
