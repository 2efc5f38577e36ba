// The run journal: records survive intact or are recognised as damaged, a
// replay ignores a torn tail at any offset, and the writer hands every event
// to the kernel at once but syncs in groups (virtual time, FakeClock).
#include "core/clock/FakeClock.h"
#include "core/run/JournalRecord.h"
#include "core/run/JournalReplay.h"
#include "core/run/RunJournal.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::run;
using namespace std::chrono_literals;

namespace {

RowRangeSet rows(std::initializer_list<std::pair<qint64, qint64>> ranges)
{
    RowRangeSet set;
    for (const auto &[a, b] : ranges)
        set.add(a, b);
    return set;
}

Job sentJob(QList<qint64> rowList, int attempt = 1)
{
    Job job;
    job.call.rows = std::move(rowList);
    job.attempt = attempt;
    return job;
}

QByteArray sampleJournal()
{
    return JournalRecord::encode(JournalRecord::Kind::Sent, rows({{1, 10}}))
           + JournalRecord::encode(JournalRecord::Kind::Done, rows({{1, 4}}))
           + JournalRecord::encode(JournalRecord::Kind::Failed, rows({{5, 5}}))
           + JournalRecord::encode(JournalRecord::Kind::Sent, rows({{11, 20}}))
           + JournalRecord::encode(JournalRecord::Kind::Done, rows({{6, 8}, {11, 11}}));
}

} // namespace

class TestJournal : public QObject
{
    Q_OBJECT

private slots:
    void recordRoundTrips_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("ranges");
        QTest::newRow("sent one") << int('S') << QByteArray("1");
        QTest::newRow("done ranges") << int('D') << QByteArray("1-250,260,300-400");
        QTest::newRow("failed big") << int('F') << QByteArray("999999999999");
    }

    void recordRoundTrips()
    {
        QFETCH(int, kind);
        QFETCH(QByteArray, ranges);
        const QByteArray line = JournalRecord::encode(JournalRecord::Kind(char(kind)), *RowRangeSet::parse(ranges));
        QVERIFY(line.endsWith('\n'));
        const auto record = JournalRecord::decode(QByteArrayView(line).chopped(1));
        QVERIFY(record);
        QCOMPARE(int(char(record->kind)), kind);
        QCOMPARE(record->rows.toText(), ranges);
    }

    void damagedRecordIsRefused_data()
    {
        QTest::addColumn<QByteArray>("line");
        const QByteArray good = JournalRecord::encode(JournalRecord::Kind::Done, rows({{1, 250}})).chopped(1);
        QByteArray flipped = good;
        flipped[3] = '9';
        QByteArray badCrc = good;
        badCrc[badCrc.size() - 1] = badCrc.back() == '0' ? '1' : '0';
        QTest::newRow("digit changed") << flipped;
        QTest::newRow("crc changed") << badCrc;
        QTest::newRow("unknown kind") << QByteArray("X") + good.mid(1);
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("hello world 12345678");
        QTest::newRow("no rows") << QByteArray(JournalRecord::encode(JournalRecord::Kind::Done, RowRangeSet()).chopped(1));
        for (int cut = 1; cut < good.size(); ++cut)
            QTest::addRow("truncated at %d", cut) << good.left(cut);
    }

    void damagedRecordIsRefused()
    {
        QFETCH(QByteArray, line);
        QVERIFY(!JournalRecord::decode(line));
    }

    void replayCollectsSets()
    {
        const JournalReplay r = JournalReplay::replay(sampleJournal());
        QCOMPARE(r.records, 5);
        QCOMPARE(r.badRecords, 0);
        QVERIFY(!r.tornTail);
        QCOMPARE(r.done.toText(), QByteArray("1-4,6-8,11"));
        QCOMPARE(r.failed.toText(), QByteArray("5"));
        QCOMPARE(r.unfinished().toText(), QByteArray("9-10,12-20"));
        QVERIFY(r.isFinished(5));
        QVERIFY(!r.isFinished(9));
    }

    // A crash can cut the file anywhere: every prefix must replay to a subset
    // of the truth, never inventing a finished row, and stop at the last
    // whole record.
    void replaySurvivesTruncationAtEveryOffset()
    {
        const QByteArray all = sampleJournal();
        const JournalReplay full = JournalReplay::replay(all);
        qint64 lastRecords = 0;
        for (qsizetype cut = 0; cut <= all.size(); ++cut) {
            const JournalReplay r = JournalReplay::replay(QByteArrayView(all).first(cut));
            QCOMPARE(r.badRecords, 0);
            QCOMPARE(r.tornTail, cut > 0 && all[cut - 1] != '\n');
            QVERIFY(r.intactBytes <= cut);
            QVERIFY(r.intactBytes == 0 || all[r.intactBytes - 1] == '\n');
            QVERIFY(r.records >= lastRecords);
            lastRecords = r.records;
            QCOMPARE(r.done.minus(full.done).count(), 0);
            QCOMPARE(r.failed.minus(full.failed).count(), 0);
        }
        QCOMPARE(lastRecords, full.records);
    }

    void damagedMiddleRecordIsSkippedNotFatal()
    {
        QByteArray all = sampleJournal();
        const qsizetype secondLine = all.indexOf('\n') + 1;
        all[secondLine + 2] = '7'; // "D 1-4" -> "D 7-4": CRC no longer matches
        const JournalReplay r = JournalReplay::replay(all);
        QCOMPARE(r.badRecords, 1);
        QCOMPARE(r.records, 4);
        QVERIFY(!r.done.contains(1)); // lost "done": the row is sent again, never lost
        QVERIFY(r.done.contains(6));
    }

    void writerWritesEveryEventAndSyncsInGroups()
    {
        QTemporaryDir dir;
        FakeClock clock;
        const QString path = dir.filePath(QStringLiteral("journal"));
        RunJournal journal(path, clock, RunJournal::Options{100ms, 3});
        int beforeSync = 0;
        journal.setBeforeSync([&beforeSync] { ++beforeSync; });
        QString error;
        QVERIFY2(journal.open(-1, &error), qPrintable(error));

        journal.callSent(sentJob({1, 2, 3}));
        QCOMPARE(journal.recordsWritten(), 1);   // "sent" is written before the request leaves
        journal.callSent(sentJob({1, 2, 3}, 2)); // a retry: nothing new to say
        journal.rowsDone({1, 2});
        QCOMPARE(journal.recordsWritten(), 1); // gathered until the event ends...
        journal.eventEnded();
        QCOMPARE(journal.recordsWritten(), 2); // ...then handed to the kernel
        QCOMPARE(journal.syncs(), 0);
        // Already in the file (a SIGKILL now loses nothing), before any sync.
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const JournalReplay r = JournalReplay::replay(f.readAll());
            QCOMPARE(r.done.toText(), QByteArray("1-2"));
            QCOMPARE(r.unfinished().toText(), QByteArray("3"));
        }
        FailedRows failed;
        failed.rows = {3};
        journal.rowsFailed(failed); // third record: the group is full
        journal.eventEnded();
        QCOMPARE(journal.syncs(), 1);
        QCOMPARE(beforeSync, 1);

        journal.rowsDone({4});
        journal.eventEnded();
        QCOMPARE(journal.syncs(), 1);
        clock.advance(100ms);
        journal.rowsDone({5}); // the interval has passed
        journal.eventEnded();
        QCOMPARE(journal.syncs(), 2);
        // A "done" and the "sent" that replaces it within one event: one write, both records.
        journal.rowsDone({6});
        journal.callSent(sentJob({7}));
        QCOMPARE(journal.recordsWritten(), 7);
        journal.finish();
        QCOMPARE(journal.syncs(), 3); // the last two records
        QCOMPARE(journal.recordsWritten(), 7);
    }

    void reopenAfterTornTailCutsItAway()
    {
        QTemporaryDir dir;
        FakeClock clock;
        const QString path = dir.filePath(QStringLiteral("journal"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QByteArray all = sampleJournal();
            f.write(all.left(all.size() - 4)); // torn mid-record
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const JournalReplay before = JournalReplay::replay(f.readAll());
        f.close();
        QVERIFY(before.tornTail);
        {
            RunJournal journal(path, clock);
            QString error;
            QVERIFY(journal.open(before.intactBytes, &error));
            journal.rowsDone({19});
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        const JournalReplay after = JournalReplay::replay(f.readAll());
        QVERIFY(!after.tornTail);
        QCOMPARE(after.badRecords, 0);
        QVERIFY(after.done.contains(19));
    }

    void compactedJournalKeepsTheSetsInThreeRecords()
    {
        QTemporaryDir dir;
        FakeClock clock;
        const QString path = dir.filePath(QStringLiteral("journal"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray all = sampleJournal();
        all.chop(3); // torn
        f.write(all);
        f.close();
        const JournalReplay before = JournalReplay::replay(all);
        {
            RunJournal journal(path, clock);
            QString error;
            QVERIFY(journal.openCompacted(before.sent, before.done, before.failed, &error));
            journal.rowsDone({9});
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        const JournalReplay after = JournalReplay::replay(f.readAll());
        QCOMPARE(after.records, 4);
        QVERIFY(!after.tornTail);
        QCOMPARE(after.done.toText(), QByteArray("1-4,9"));
        QCOMPARE(after.failed.toText(), before.failed.toText());
        QCOMPARE(after.sent.toText(), before.sent.toText());
    }

    void missingJournalIsEmptyUnreadableIsError()
    {
        QTemporaryDir dir;
        QString error;
        const auto missing = JournalReplay::readFile(dir.filePath(QStringLiteral("nope")), &error);
        QVERIFY(missing);
        QCOMPARE(missing->records, 0);
        QVERIFY(!JournalReplay::readFile(dir.path(), &error)); // a directory
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
