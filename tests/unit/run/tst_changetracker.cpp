// The change tracker between the run and the destination's store: it leaves
// out what the store says is unchanged, and records a row only once the
// journal has synced its "done" — never a row that failed or got no answer;
// given the verdicts of the count before the run, it does not decide again.
// Real journal and a real SQLite file, virtual time (FakeClock).
#include "core/clock/FakeClock.h"
#include "core/run/ChangeTracker.h"
#include "core/run/RunJournal.h"
#include "core/state/AcceptedStore.h"
#include "core/state/PayloadFingerprint.h"

#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::run;
using namespace std::chrono_literals;
using headroom::imports::MappedRow;
using headroom::state::ChangeMode;

namespace {

const QByteArray kDestination = "customerio-track\n127.0.0.1/customerio-track\nsite";

MappedRow person(int n, const QByteArray &plan)
{
    MappedRow row;
    row.operation = imports::Operation::Identify;
    row.id = "c" + QByteArray::number(n);
    row.fields = "{\"plan\":\"" + plan + "\"}";
    return row;
}

qint64 storedRows(const QString &path)
{
    state::AcceptedStore store(path);
    QString error;
    if (!store.open(kDestination, state::AcceptedStore::OpenMode::Existing, &error))
        return -1;
    return store.summary(&error)->rows;
}

Job sent(QList<qint64> rows)
{
    Job job;
    job.call.rows = std::move(rows);
    job.attempt = 1;
    return job;
}

} // namespace

class TestChangeTracker : public QObject
{
    Q_OBJECT

private slots:
    void recordsOnlyAfterTheJournalSynced()
    {
        QTemporaryDir dir;
        const QString storePath = dir.filePath("state/s.sqlite");
        FakeClock clock;
        // Before the journal: the journal's last sync, in its destructor, still reaches it.
        ChangeTracker tracker(storePath, kDestination, ChangeMode::All, clock);
        RunJournal journal(dir.filePath("journal"), clock, RunJournal::Options{100ms, 1000});
        QString error;
        QVERIFY(journal.open(-1, &error));
        QVERIFY2(tracker.check(&error), qPrintable(error));
        tracker.setSyncJournal([&journal] { journal.flush(); });
        journal.setAfterSync([&tracker] { tracker.commit(); });

        for (int n = 1; n <= 3; ++n)
            QVERIFY(!tracker.skip(person(n, "free"), n));
        journal.callSent(sent({1, 2, 3}));
        journal.rowsDone({1});
        tracker.rowsDone({1});
        FailedRows failed;
        failed.rows = {2};
        journal.rowsFailed(failed);
        tracker.rowsFailed(failed);
        journal.eventEnded();
        // Done but not synced: not in the store yet.
        QCOMPARE(storedRows(storePath), 0);
        clock.advance(150ms);
        journal.eventEnded();
        journal.rowsDone({3});
        tracker.rowsDone({3});
        journal.eventEnded(); // written and synced: the interval has passed
        QCOMPARE(storedRows(storePath), 2);
        QCOMPARE(tracker.rowsRecorded(), 2);
    }

    void unsentAndFailedRowsAreNeverRecorded()
    {
        QTemporaryDir dir;
        const QString storePath = dir.filePath("s.sqlite");
        FakeClock clock;
        ChangeTracker tracker(storePath, kDestination, ChangeMode::All, clock);
        QString error;
        QVERIFY(tracker.check(&error));
        for (int n = 1; n <= 4; ++n)
            tracker.skip(person(n, "free"), n);
        tracker.rowsDone({1});
        FailedRows failed;
        failed.rows = {2};
        tracker.rowsFailed(failed);
        tracker.lanesFinished({}, clock.now()); // 3 and 4 never answered
        QCOMPARE(storedRows(storePath), 1);
    }

    void changedOnlySkipsWhatWasAccepted()
    {
        QTemporaryDir dir;
        const QString storePath = dir.filePath("s.sqlite");
        FakeClock clock;
        {
            ChangeTracker first(storePath, kDestination, ChangeMode::All, clock);
            QString error;
            QVERIFY(first.check(&error));
            for (int n = 1; n <= 3; ++n)
                first.skip(person(n, "free"), n);
            first.rowsDone({1, 2, 3});
            first.lanesFinished({}, clock.now());
        }
        ChangeTracker second(storePath, kDestination, ChangeMode::ChangedOnly, clock);
        QVERIFY(second.skip(person(1, "free"), 1));
        QVERIFY(!second.skip(person(2, "pro"), 2));
        QVERIFY(!second.skip(person(4, "free"), 4));
        QCOMPARE(second.rowsWith(state::SendDecision::Reason::Unchanged), 1);
        QCOMPARE(second.rowsWith(state::SendDecision::Reason::Changed), 1);
        QCOMPARE(second.rowsWith(state::SendDecision::Reason::New), 1);
        second.rowsDone({2});
        second.lanesFinished({}, clock.now());

        ChangeTracker third(storePath, kDestination, ChangeMode::ChangedOnly, clock);
        QVERIFY(third.skip(person(2, "pro"), 2));   // accepted by the second run
        QVERIFY(!third.skip(person(4, "free"), 4)); // never answered: still to send
    }

    // The run's first line counted the rows: the run takes those verdicts and
    // does not look a decided row up again. The store is gone after the
    // count, so a row looked up would read as new and be sent.
    void adoptedPreviewDecidesWithoutLookingUp()
    {
        QTemporaryDir dir;
        const QString storePath = dir.filePath("s.sqlite");
        FakeClock clock;
        ChangePreview preview;
        preview.mode = ChangeMode::ChangedOnly;
        preview.decisions.record(1, false);
        preview.decisions.record(2, true);
        preview.reasons[size_t(state::SendDecision::Reason::Unchanged)] = 1;
        preview.reasons[size_t(state::SendDecision::Reason::Changed)] = 1;
        QCOMPARE(preview.decisions.decidedRows(), 2);

        ChangeTracker tracker(storePath, kDestination, ChangeMode::ChangedOnly, clock);
        tracker.adoptPreview(preview);
        QVERIFY(tracker.skip(person(1, "free"), 1));  // decided: left out, no lookup
        QVERIFY(!tracker.skip(person(2, "pro"), 2));  // decided: sent
        QVERIFY(!tracker.skip(person(3, "free"), 3)); // not decided: looked up, new
        QCOMPARE(tracker.rowsWith(state::SendDecision::Reason::Unchanged), 1);
        QCOMPARE(tracker.rowsWith(state::SendDecision::Reason::Changed), 1);
        QCOMPARE(tracker.rowsWith(state::SendDecision::Reason::New), 1);
        // A decided row that was sent is recorded once accepted, as any other.
        tracker.rowsDone({2, 3});
        tracker.lanesFinished({}, clock.now());
        QCOMPARE(storedRows(storePath), 2);

        // A count made for another mode decides nothing for this one.
        ChangeTracker other(dir.filePath("other.sqlite"), kDestination, ChangeMode::OnlyNew, clock);
        other.adoptPreview(preview);
        QVERIFY(!other.skip(person(1, "free"), 1));
    }

    void rowDecisionsKeepEachVerdict()
    {
        RowDecisions decisions;
        QVERIFY(decisions.sends(1) == std::nullopt);
        for (qint64 row = 1; row <= 100000; ++row)
            decisions.record(row, row % 100 == 0);
        QCOMPARE(decisions.decidedRows(), 100000);
        QVERIFY(decisions.sends(100) == true);
        QVERIFY(decisions.sends(101) == false);
        QVERIFY(decisions.sends(100000) == true);
        QVERIFY(decisions.sends(100001) == std::nullopt); // past the count's end
        QVERIFY(decisions.sends(0) == std::nullopt);      // a row never decided
        QVERIFY(decisions.sends(-1) == std::nullopt);
        decisions.record(101, true); // decided again: the last word, counted once
        QVERIFY(decisions.sends(101) == true);
        QCOMPARE(decisions.decidedRows(), 100000);
    }
};

QTEST_GUILESS_MAIN(TestChangeTracker)
#include "tst_changetracker.moc"
