#include "core/transfers/TransferList.h"

#include <QSignalSpy>
#include <QTest>

using headroom::transfers::Transfer;
using headroom::transfers::TransferEntry;
using headroom::transfers::TransferList;
using headroom::transfers::TransferListFile;
using headroom::transfers::TransferState;

namespace {
TransferEntry entry(const QString &file)
{
    TransferEntry e;
    e.settings.profile = QStringLiteral("customerio-track");
    e.settings.file = file;
    return e;
}

QList<Transfer *> requested(const QSignalSpy &spy)
{
    QList<Transfer *> transfers;
    for (const QList<QVariant> &args : spy)
        transfers << args.at(0).value<Transfer *>();
    return transfers;
}
} // namespace

// The list's queue without runs: who is asked to start, and when. The runs
// themselves are the console's (tst_transfer_list).
class TestTransferList : public QObject
{
    Q_OBJECT
private slots:
    void startsOneAtATimeAndTheNextWhenOneEnds()
    {
        TransferList list;
        QSignalSpy starts(&list, &TransferList::startRequested);
        Transfer *a = list.add(entry(QStringLiteral("a.csv")));
        Transfer *b = list.add(entry(QStringLiteral("b.csv")));
        Transfer *c = list.add(entry(QStringLiteral("c.csv")));
        QCOMPARE(requested(starts), QList<Transfer *>{a});
        QCOMPARE(a->state(), TransferState::Preflighting);
        QCOMPARE(b->state(), TransferState::Queued);
        QVERIFY(!a->id().isEmpty() && a->id() != b->id());

        a->setState(TransferState::Running);
        QCOMPARE(starts.size(), 1);
        a->setState(TransferState::Done);
        QCOMPARE(requested(starts), (QList<Transfer *>{a, b}));

        // A queued import cancelled never starts; more at once starts the rest.
        list.cancel(2);
        QCOMPARE(c->state(), TransferState::Cancelled);
        list.setMaxActive(3);
        QCOMPARE(starts.size(), 2);
        list.requeue(2);
        QCOMPARE(requested(starts), (QList<Transfer *>{a, b, c}));
        // Cancelled before its run exists (preflight, keychain): it says so at once.
        list.cancel(2);
        QCOMPARE(c->state(), TransferState::Cancelled);
    }

    void queueOrderDecidesWhoStartsNext()
    {
        TransferList list;
        QSignalSpy starts(&list, &TransferList::startRequested);
        Transfer *a = list.add(entry(QStringLiteral("a.csv")));
        list.add(entry(QStringLiteral("b.csv")));
        Transfer *c = list.add(entry(QStringLiteral("c.csv")));
        list.move(2, 1);
        QCOMPARE(list.at(1), c);
        a->setState(TransferState::Failed, QStringLiteral("no credentials"));
        QCOMPARE(requested(starts), (QList<Transfer *>{a, c}));
        QCOMPARE(a->entry().message, QStringLiteral("no credentials"));
        // An import holding a place cannot be removed; a finished one can.
        QVERIFY(!list.remove(1));
        QVERIFY(list.remove(0));
        QCOMPARE(list.count(), 2);
    }

    // Read back after a restart nothing starts on its own; a stopped import
    // starts (to resume its run directory) when the operator resumes it.
    void restoredImportsWaitForTheOperator()
    {
        TransferListFile::Contents contents;
        TransferEntry stopped = entry(QStringLiteral("a.csv"));
        stopped.id = QStringLiteral("a");
        stopped.state = TransferState::Stopped;
        stopped.runDirectory = QStringLiteral("/runs/a");
        contents.entries << stopped;
        contents.maxActive = 2;
        TransferList list;
        QSignalSpy starts(&list, &TransferList::startRequested);
        list.restore(contents);
        QCOMPARE(list.maxActive(), 2);
        QCOMPARE(list.count(), 1);
        QCOMPARE(starts.size(), 0);
        list.resume(0);
        QCOMPARE(requested(starts), QList<Transfer *>{list.find(QStringLiteral("a"))});
        QCOMPARE(list.contents().entries.at(0).runDirectory, QStringLiteral("/runs/a"));
    }
};

QTEST_GUILESS_MAIN(TestTransferList)
#include "tst_transferlist.moc"
