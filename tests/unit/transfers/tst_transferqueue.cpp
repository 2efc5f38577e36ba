#include "core/transfers/TransferQueue.h"

#include <QTest>

using headroom::transfers::TransferQueue;
using headroom::transfers::TransferState;

namespace {
// One letter per import, in list order: q queued, f preflighting, r running,
// p paused, d done, x failed, c cancelled, s stopped.
QList<TransferState> parseStates(const QString &letters)
{
    QList<TransferState> states;
    for (const QChar letter : letters) {
        switch (letter.toLatin1()) {
        case 'q': states << TransferState::Queued; break;
        case 'f': states << TransferState::Preflighting; break;
        case 'r': states << TransferState::Running; break;
        case 'p': states << TransferState::Paused; break;
        case 'd': states << TransferState::Done; break;
        case 'x': states << TransferState::Failed; break;
        case 'c': states << TransferState::Cancelled; break;
        case 's': states << TransferState::Stopped; break;
        default: qFatal("unknown state letter");
        }
    }
    return states;
}
} // namespace

class TestTransferQueue : public QObject
{
    Q_OBJECT
private slots:
    void startsQueuedImportsInListOrderUpToTheLimit_data()
    {
        QTest::addColumn<QString>("states");
        QTest::addColumn<int>("maxActive");
        QTest::addColumn<QList<int>>("expected");
        QTest::newRow("empty list") << "" << 1 << QList<int>{};
        QTest::newRow("one at a time starts the first") << "qqq" << 1 << QList<int>{0};
        QTest::newRow("two at once start the first two") << "qqq" << 2 << QList<int>{0, 1};
        QTest::newRow("a place held: nothing more") << "rqq" << 1 << QList<int>{};
        QTest::newRow("the next when one finished") << "dqq" << 1 << QList<int>{1};
        QTest::newRow("failed and cancelled free their place") << "xcq" << 1 << QList<int>{2};
        QTest::newRow("a paused run keeps its place") << "pqq" << 2 << QList<int>{1};
        QTest::newRow("preflighting holds a place") << "fqq" << 2 << QList<int>{1};
        QTest::newRow("stopped imports wait for the operator") << "ssq" << 1 << QList<int>{2};
        QTest::newRow("more running than allowed (setting lowered)") << "rrrq" << 2 << QList<int>{};
        QTest::newRow("limit above the queue") << "qdq" << 8 << QList<int>{0, 2};
        QTest::newRow("a limit below one counts as one") << "qq" << 0 << QList<int>{0};
    }
    void startsQueuedImportsInListOrderUpToTheLimit()
    {
        QFETCH(QString, states);
        QFETCH(int, maxActive);
        QFETCH(QList<int>, expected);
        TransferQueue queue(maxActive);
        QCOMPARE(queue.toStart(parseStates(states)), expected);
    }

    // Each start fills a place: started imports are never started again, and
    // one finishing lets exactly one more in.
    void finishingOneStartsExactlyOneMore()
    {
        TransferQueue queue(2);
        QList<TransferState> states = parseStates(QStringLiteral("qqqq"));
        for (int i : queue.toStart(states))
            states[i] = TransferState::Running;
        QCOMPARE(TransferQueue::active(states), 2);
        QVERIFY(queue.toStart(states).isEmpty());
        states[0] = TransferState::Done;
        QCOMPARE(queue.toStart(states), QList<int>{2});
        queue.setMaxActive(3);
        QCOMPARE(queue.toStart(states), (QList<int>{2, 3}));
    }
};

QTEST_APPLESS_MAIN(TestTransferQueue)
#include "tst_transferqueue.moc"
