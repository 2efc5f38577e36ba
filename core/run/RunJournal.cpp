#include "core/run/RunJournal.h"
#include "core/run/RunFile.h"

#include "core/run/RunLogging.h"

#include <QSaveFile>

#include <unistd.h>

namespace headroom::run {

RunJournal::RunJournal(const QString &path, const Clock &clock)
    : RunJournal(path, clock, Options{})
{
}

RunJournal::RunJournal(const QString &path, const Clock &clock, Options options)
    : m_file(path)
    , m_clock(clock)
    , m_options(options)
{
}

RunJournal::~RunJournal()
{
    finish();
}

bool RunJournal::open(qint64 keepBytes, QString *error)
{
    // Unbuffered: each record is one write(2), in the kernel before the next event.
    if (!RunFile::open(m_file, QIODevice::ReadWrite | QIODevice::Append | QIODevice::Unbuffered, error))
        return false;
    if (keepBytes >= 0 && keepBytes < m_file.size() && !m_file.resize(keepBytes)) {
        if (error)
            *error = m_file.errorString();
        m_file.close();
        return false;
    }
    m_lastSync = m_clock.now();
    return true;
}

bool RunJournal::openCompacted(const RowRangeSet &sent, const RowRangeSet &done, const RowRangeSet &failed,
                               QString *error)
{
    if (!RunFile::refuseLink(m_file.fileName(), error))
        return false;
    QSaveFile copy(m_file.fileName());
    if (!copy.open(QIODevice::WriteOnly)) {
        if (error)
            *error = copy.errorString();
        return false;
    }
    if (!sent.isEmpty())
        copy.write(JournalRecord::encode(JournalRecord::Kind::Sent, sent));
    if (!done.isEmpty())
        copy.write(JournalRecord::encode(JournalRecord::Kind::Done, done));
    if (!failed.isEmpty())
        copy.write(JournalRecord::encode(JournalRecord::Kind::Failed, failed));
    if (!copy.commit()) { // fsyncs, then renames over the old journal
        if (error)
            *error = copy.errorString();
        return false;
    }
    return RunFile::makePrivate(m_file.fileName(), error) && open(-1, error);
}

RowRangeSet RunJournal::toRanges(const QList<qint64> &rows)
{
    RowRangeSet set;
    for (const qint64 row : rows)
        set.add(row);
    return set;
}

void RunJournal::append(JournalRecord::Kind kind, const QList<qint64> &rows)
{
    if (rows.isEmpty() || !m_file.isOpen())
        return;
    JournalRecord::appendEncoded(m_pending, kind, toRanges(rows));
    ++m_pendingRecords;
    // A request must never reach the wire before the journal says it was sent.
    if (kind == JournalRecord::Kind::Sent)
        writePending();
}

void RunJournal::writePending()
{
    if (m_pending.isEmpty())
        return;
    const qint64 written = m_file.write(m_pending);
    const int records = m_pendingRecords;
    const bool complete = written == m_pending.size();
    m_pending.resize(0); // keeps the capacity for the next event
    m_pendingRecords = 0;
    if (!complete) {
        if (m_error.isEmpty()) {
            m_error = m_file.errorString();
            qCWarning(lcRun) << "journal write failed:" << m_error;
        }
        return;
    }
    m_records += records;
    m_unsynced += records;
    if (m_unsynced >= m_options.syncRecords || m_clock.now() - m_lastSync >= m_options.syncInterval)
        sync();
}

void RunJournal::eventEnded()
{
    writePending();
}

void RunJournal::sync()
{
    if (!m_pending.isEmpty()) {
        writePending(); // syncs on its own when a group is due
        if (m_unsynced == 0)
            return;
    }
    if (m_beforeSync)
        m_beforeSync();
    if (m_file.isOpen() && m_unsynced > 0) {
#if defined(_POSIX_SYNCHRONIZED_IO) && _POSIX_SYNCHRONIZED_IO > 0
        ::fdatasync(m_file.handle());
#else
        ::fsync(m_file.handle());
#endif
        ++m_syncs;
    }
    m_unsynced = 0;
    m_lastSync = m_clock.now();
    if (m_afterSync)
        m_afterSync();
}

void RunJournal::finish()
{
    if (!m_file.isOpen())
        return;
    sync();
    m_file.close();
}

void RunJournal::callSent(const Job &job)
{
    // Later attempts of the same rows add nothing to the journal.
    if (job.attempt <= 1)
        append(JournalRecord::Kind::Sent, job.call.rows);
}

void RunJournal::rowsDone(const QList<qint64> &rows)
{
    append(JournalRecord::Kind::Done, rows);
}

void RunJournal::rowsFailed(const FailedRows &failed)
{
    append(JournalRecord::Kind::Failed, failed.rows);
}

} // namespace headroom::run
