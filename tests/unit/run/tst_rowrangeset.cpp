// RowRangeSet: the interval set the journal and resume are built on.
#include "core/run/RowRangeSet.h"

#include <QRandomGenerator>
#include <QTest>

#include <set>

using namespace headroom::run;

using RangeList = QList<QPair<qint64, qint64>>;

class TestRowRangeSet : public QObject
{
    Q_OBJECT

private slots:
    void mergesAdjacentAndOverlapping_data()
    {
        QTest::addColumn<RangeList>("adds");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("count");
        using L = RangeList;
        QTest::newRow("empty") << L{} << QByteArray() << qint64(0);
        QTest::newRow("one") << L{{5, 5}} << QByteArray("5") << qint64(1);
        QTest::newRow("adjacent") << L{{1, 1}, {2, 2}, {3, 3}} << QByteArray("1-3") << qint64(3);
        QTest::newRow("reverse order") << L{{3, 3}, {2, 2}, {1, 1}} << QByteArray("1-3") << qint64(3);
        QTest::newRow("gap") << L{{1, 2}, {4, 5}} << QByteArray("1-2,4-5") << qint64(4);
        QTest::newRow("fills gap") << L{{1, 2}, {4, 5}, {3, 3}} << QByteArray("1-5") << qint64(5);
        QTest::newRow("overlap") << L{{1, 10}, {5, 20}} << QByteArray("1-20") << qint64(20);
        QTest::newRow("swallows many") << L{{2, 2}, {4, 4}, {6, 6}, {1, 9}} << QByteArray("1-9") << qint64(9);
        QTest::newRow("inside") << L{{1, 10}, {3, 4}} << QByteArray("1-10") << qint64(10);
        QTest::newRow("duplicate") << L{{7, 7}, {7, 7}} << QByteArray("7") << qint64(1);
        QTest::newRow("reversed range ignored") << L{{5, 1}} << QByteArray() << qint64(0);
    }

    void mergesAdjacentAndOverlapping()
    {
        QFETCH(RangeList, adds);
        QFETCH(QByteArray, text);
        QFETCH(qint64, count);
        RowRangeSet set;
        for (const auto &a : adds)
            set.add(a.first, a.second);
        QCOMPARE(set.toText(), text);
        QCOMPARE(set.count(), count);
        const auto parsed = RowRangeSet::parse(text);
        QVERIFY(parsed);
        QCOMPARE(parsed->toText(), text);
    }

    void matchesAPlainSetOnRandomInput()
    {
        QRandomGenerator rng(7);
        RowRangeSet set;
        RowRangeSet other;
        std::set<qint64> plain;
        std::set<qint64> plainOther;
        for (int i = 0; i < 2000; ++i) {
            const qint64 a = rng.bounded(1, 500);
            const qint64 b = a + rng.bounded(0, 4);
            set.add(a, b);
            for (qint64 r = a; r <= b; ++r)
                plain.insert(r);
            const qint64 c = rng.bounded(1, 500);
            other.add(c);
            plainOther.insert(c);
        }
        QCOMPARE(set.count(), qint64(plain.size()));
        const RowRangeSet diff = set.minus(other);
        qint64 diffCount = 0;
        for (qint64 r = 0; r <= 520; ++r) {
            QCOMPARE(set.contains(r), plain.count(r) == 1);
            const bool inDiff = plain.count(r) == 1 && plainOther.count(r) == 0;
            QCOMPARE(diff.contains(r), inDiff);
            diffCount += inDiff;
        }
        QCOMPARE(diff.count(), diffCount);
        QCOMPARE(RowRangeSet::parse(set.toText())->toText(), set.toText());
    }

    void parseRefusesMalformedText_data()
    {
        QTest::addColumn<QByteArray>("text");
        for (const char *t : {"a", "1,", ",1", "1--2", "5-1", "-1", "1 2", "1-", "1,,2", "+1",
                              "1234567890123456789"})
            QTest::newRow(t) << QByteArray(t);
    }

    void parseRefusesMalformedText()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!RowRangeSet::parse(text));
    }

    void sequentialRowsAreOneRange()
    {
        RowRangeSet set;
        for (qint64 r = 1; r <= 100000; ++r)
            set.add(r);
        QCOMPARE(set.ranges().size(), 1);
        QCOMPARE(set.toText(), QByteArray("1-100000"));
    }
};

QTEST_GUILESS_MAIN(TestRowRangeSet)
#include "tst_rowrangeset.moc"
