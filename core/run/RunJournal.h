#pragma once

#include "core/clock/Clock.h"
#include "core/run/JournalRecord.h"
#include "core/run/RunObserver.h"

#include <QFile>

#include <chrono>
#include <functional>

namespace headroom::run {

// Appends the journal of a run: rows sent, done and dead-lettered. Every
// engine event's records are handed to the kernel before the event ends (one
// write: the rows a reply finished together with the rows sent in its place,
// and a "sent" record always before its request goes to QNAM), so a killed
// process loses no record and a resume re-sends at most what was in flight; the
// expensive part, fdatasync, is done in groups (every `syncInterval` or
// `syncRecords` records, whichever comes first, checked on each event, and on
// finish), so a power cut costs at most that group.
class RunJournal final : public RunObserver
{
public:
    struct Options
    {
        std::chrono::milliseconds syncInterval{100};
        int syncRecords = 1000;
    };

    RunJournal(const QString &path, const Clock &clock);
    RunJournal(const QString &path, const Clock &clock, Options options);
    ~RunJournal() override;

    // Opens for append. keepBytes >= 0 first cuts the file to that length
    // (a torn tail would otherwise swallow the next record).
    bool open(qint64 keepBytes, QString *error);
    // Replaces the file with a compact copy of `state` (one record per kind)
    // before appending: a resumed journal does not grow with every resume.
    bool openCompacted(const RowRangeSet &sent, const RowRangeSet &done, const RowRangeSet &failed, QString *error);
    // Called before each fdatasync: whatever must be durable no later than the
    // journal (the dead letters) syncs first.
    void setBeforeSync(std::function<void()> beforeSync) { m_beforeSync = std::move(beforeSync); }
    // Called after each fdatasync: whatever may only follow the journal (the
    // store of accepted rows) is written then.
    void setAfterSync(std::function<void()> afterSync) { m_afterSync = std::move(afterSync); }
    // Writes and syncs what the journal holds now.
    void flush() { sync(); }
    void finish();

    void callSent(const Job &job) override;
    void rowsDone(const QList<qint64> &rows) override;
    void rowsFailed(const FailedRows &failed) override;
    void eventEnded() override;

    qint64 recordsWritten() const { return m_records; }
    qint64 syncs() const { return m_syncs; }
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    static RowRangeSet toRanges(const QList<qint64> &rows);

private:
    void append(JournalRecord::Kind kind, const QList<qint64> &rows);
    void writePending();
    void sync();

    QFile m_file;
    const Clock &m_clock;
    Options m_options;
    std::function<void()> m_beforeSync;
    std::function<void()> m_afterSync;
    TimePoint m_lastSync{};
    QByteArray m_pending; // records of the current event, not yet written
    int m_pendingRecords = 0;
    int m_unsynced = 0;
    qint64 m_records = 0;
    qint64 m_syncs = 0;
    QString m_error;
};

} // namespace headroom::run
