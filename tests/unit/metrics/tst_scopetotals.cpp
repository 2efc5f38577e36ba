#include "core/clock/FakeClock.h"
#include "core/metrics/ScopeTotals.h"

#include <QTest>

using headroom::FakeClock;
using headroom::metrics::LaneSnapshot;
using headroom::metrics::ScopeTotals;
using namespace std::chrono_literals;

namespace {

LaneSnapshot lane(const QString &name, double sentPerS, qint64 sentInWindow, qint64 estimatedRemaining = -1)
{
    LaneSnapshot s;
    s.lane = name;
    s.sentPerS = sentPerS;
    s.rowsPerS = sentPerS;
    s.sentInWindow = sentInWindow;
    s.estimatedRemaining = estimatedRemaining;
    s.requests = sentInWindow * 10;
    s.breakerState = QStringLiteral("closed");
    return s;
}

const QString kWorkspace = QStringLiteral("customerio-track http://127.0.0.1:1/customerio-track site-1");
const QString kSegment = QStringLiteral("segment-tracking http://127.0.0.1:1/segment-tracking key-1");

} // namespace

class TestScopeTotals : public QObject
{
    Q_OBJECT
private slots:
    // Three imports into one 100/s scope plot the scope's total, not one import's share.
    void importsIntoOneScopeAddUp()
    {
        FakeClock clock;
        ScopeTotals totals;
        totals.reset(clock.now());
        clock.advance(2s);
        totals.add(QStringLiteral("a"), {lane(QStringLiteral("customerio-track"), 34, 34, 66)}, {kWorkspace}, clock.now());
        totals.add(QStringLiteral("b"), {lane(QStringLiteral("customerio-track"), 33, 33, 67)}, {kWorkspace}, clock.now());
        totals.add(QStringLiteral("c"), {lane(QStringLiteral("customerio-track"), 31, 31, 69)}, {kWorkspace}, clock.now());
        totals.add(QStringLiteral("d"), {lane(QStringLiteral("segment-tracking"), 20, 20)}, {kSegment}, clock.now());
        const QList<LaneSnapshot> all = totals.totals(clock.now());
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).lane, QStringLiteral("customerio-track"));
        QCOMPARE(all.at(0).sentPerS, 98.0);
        QCOMPARE(all.at(0).rowsPerS, 98.0);
        QCOMPARE(all.at(0).sentInWindow, qint64(98));
        QCOMPARE(all.at(0).requests, qint64(980));
        // The scope's limit (100) minus every import's requests in the window.
        QCOMPARE(all.at(0).estimatedRemaining, qint64(2));
        QCOMPARE(all.at(0).elapsedS, 2.0);
        QCOMPARE(all.at(1).lane, QStringLiteral("segment-tracking"));
        QCOMPARE(all.at(1).sentPerS, 20.0);
        QCOMPARE(all.at(1).estimatedRemaining, qint64(-1));
    }

    // Windows counted at instants a sample apart can add up past the shared
    // budget's limit, which no window can hold: the total is drawn at the limit.
    void aSharedScopeNeverReadsAboveItsLimit()
    {
        FakeClock clock;
        ScopeTotals totals;
        totals.reset(clock.now());
        // a's budget, learned from a 429, is its own share of the scope: 54.
        totals.add(QStringLiteral("a"), {lane(QStringLiteral("x"), 54, 54, 0)}, {kWorkspace}, clock.now());
        clock.advance(60ms);
        totals.add(QStringLiteral("b"), {lane(QStringLiteral("x"), 50, 50, 50)}, {kWorkspace}, clock.now());
        LaneSnapshot total = totals.totals(clock.now()).at(0);
        QCOMPARE(total.sentInWindow, qint64(100));
        QCOMPARE(total.sentPerS, 100.0);
        QCOMPARE(total.rowsPerS, 100.0);
        QCOMPARE(total.estimatedRemaining, qint64(0));
        // Under the scope's limit nothing is scaled, whatever one run learned.
        clock.advance(100ms);
        totals.add(QStringLiteral("a"), {lane(QStringLiteral("x"), 30, 30, 0)}, {kWorkspace}, clock.now());
        totals.add(QStringLiteral("b"), {lane(QStringLiteral("x"), 40, 40, 60)}, {kWorkspace}, clock.now());
        total = totals.totals(clock.now()).at(0);
        QCOMPARE(total.sentPerS, 70.0);
        QCOMPARE(total.estimatedRemaining, qint64(30));
    }

    // Each run counts with its latest samples only, and not once it has gone quiet.
    void latestSamplesOnlyAndQuietRunsDropOut()
    {
        FakeClock clock;
        ScopeTotals totals;
        totals.reset(clock.now());
        totals.add(QStringLiteral("a"), {lane(QStringLiteral("x"), 10, 10)}, {kWorkspace}, clock.now());
        totals.add(QStringLiteral("b"), {lane(QStringLiteral("x"), 20, 20)}, {kWorkspace}, clock.now());
        clock.advance(100ms);
        totals.add(QStringLiteral("a"), {lane(QStringLiteral("x"), 40, 40)}, {kWorkspace}, clock.now());
        QCOMPARE(totals.totals(clock.now()).at(0).sentPerS, 60.0);
        QCOMPARE(totals.runCount(clock.now()), 2);
        clock.advance(950ms); // b last sampled 1050 ms ago
        QCOMPARE(totals.runCount(clock.now()), 1);
        QCOMPARE(totals.totals(clock.now()).at(0).sentPerS, 40.0);
        clock.advance(1s);
        QVERIFY(totals.totals(clock.now()).isEmpty());
    }

    // Lanes without a shared budget, or into two workspaces of one API, stay apart.
    void otherScopesStayApart()
    {
        FakeClock clock;
        ScopeTotals totals;
        totals.reset(clock.now());
        totals.add(QStringLiteral("a"), {lane(QStringLiteral("customerio-track"), 10, 10)}, {kWorkspace}, clock.now());
        totals.add(QStringLiteral("b"), {lane(QStringLiteral("customerio-track"), 20, 20)},
                   {QStringLiteral("customerio-track http://127.0.0.1:1/customerio-track site-2")}, clock.now());
        totals.add(QStringLiteral("c"), {lane(QStringLiteral("generic"), 5, 5)}, {}, clock.now());
        totals.add(QStringLiteral("d"), {lane(QStringLiteral("generic"), 6, 6)}, {}, clock.now());
        const QList<LaneSnapshot> all = totals.totals(clock.now());
        QCOMPARE(all.size(), 4);
        QCOMPARE(all.at(0).lane, QStringLiteral("customerio-track"));
        QCOMPARE(all.at(0).sentPerS, 10.0);
        QCOMPARE(all.at(1).lane, QStringLiteral("customerio-track (2)"));
        QCOMPARE(all.at(1).sentPerS, 20.0);
        QCOMPARE(all.at(2).lane, QStringLiteral("generic"));
        QCOMPARE(all.at(3).lane, QStringLiteral("generic (2)"));
    }

    // The server's word, the slowest latency, an open breaker, a pause only when all are paused.
    void whatIsNotSummed()
    {
        FakeClock clock;
        ScopeTotals totals;
        totals.reset(clock.now());
        LaneSnapshot a = lane(QStringLiteral("segment-public"), 1, 1);
        a.remaining = 40;
        a.limit = 60;
        a.latencyP95Ms = 80;
        a.paused = true;
        LaneSnapshot b = a;
        b.remaining = 35;
        b.latencyP95Ms = 120;
        b.breakerState = QStringLiteral("open");
        b.paused = false;
        totals.add(QStringLiteral("a"), {a}, {kWorkspace}, clock.now());
        totals.add(QStringLiteral("b"), {b}, {kWorkspace}, clock.now());
        const LaneSnapshot total = totals.totals(clock.now()).at(0);
        QCOMPARE(total.remaining, qint64(35));
        QCOMPARE(total.limit, qint64(60));
        QCOMPARE(total.latencyP95Ms, 120.0);
        QCOMPARE(total.breakerState, QStringLiteral("open"));
        QVERIFY(!total.paused);
    }
};

QTEST_GUILESS_MAIN(TestScopeTotals)
#include "tst_scopetotals.moc"
