// Each window kind of the sandbox against the library it is modelled on, in
// virtual time: which requests of a sequence it admits, and what it says
// about the wait.
#include "core/sandbox/ClockAlignedWindow.h"
#include "core/sandbox/GcraBucket.h"
#include "core/sandbox/NeighbourLoad.h"
#include "core/sandbox/RateScopes.h"
#include "core/sandbox/RateWindow.h"
#include "core/sandbox/RollingLogWindow.h"

#include <QtTest>

using namespace headroom;
using namespace headroom::sandbox;
using namespace std::chrono_literals;

namespace {

// An arbitrary steady origin; the wall clock of the rows starts on a whole second.
const TimePoint kT0 = TimePoint(std::chrono::hours(1000));
const WallTime kWall0 = WallTime(std::chrono::seconds(1'800'000'000));

Duration ms(int v)
{
    return std::chrono::milliseconds(v);
}

// "1000-2000:1,5000-6000:3" -> steps
QList<LimitStep> schedule(const QString &spec)
{
    QList<LimitStep> steps;
    for (const QString &part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList range = part.section(QLatin1Char(':'), 0, 0).split(QLatin1Char('-'));
        steps.append(LimitStep{ms(range.value(0).toInt()), ms(range.value(1).toInt()),
                               part.section(QLatin1Char(':'), 1, 1).toInt()});
    }
    return steps;
}

} // namespace

Q_DECLARE_METATYPE(WindowKind)

class TestSandboxWindows : public QObject
{
    Q_OBJECT

private slots:
    // One row: a window, a sequence of arrival times (ms after the first,
    // whose wall clock is `wallOffsetMs` into a second) and '+'/'-' per arrival.
    void admitsWhatItsModelAdmits_data()
    {
        QTest::addColumn<WindowKind>("kind");
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("windowMs");
        QTest::addColumn<int>("wallOffsetMs");
        QTest::addColumn<QString>("scheduleSpec");
        QTest::addColumn<QList<int>>("times");
        QTest::addColumn<QString>("expected");

        // Exact sliding log of accepted requests: (now - window, now].
        QTest::newRow("sliding: at most limit in any window")
            << WindowKind::Sliding << 3 << 1000 << 0 << QString()
            << QList<int>{0, 100, 200, 500, 999, 1000, 1050, 1100} << QStringLiteral("+++--+-+");
        QTest::newRow("sliding: a rejected request does not count")
            << WindowKind::Sliding << 2 << 1000 << 0 << QString()
            << QList<int>{0, 500, 600, 700, 800, 1000} << QStringLiteral("++---+");

        // rolling-rate-limiter: the refused attempt at 600 is in the log, so at
        // 1000 (when the sliding log frees a slot) the window is still full.
        QTest::newRow("rolling: rejected attempts fill the window")
            << WindowKind::Rolling << 2 << 1000 << 0 << QString()
            << QList<int>{0, 500, 600, 1000} << QStringLiteral("++--");
        QTest::newRow("sliding: same arrivals, slot free at 1000")
            << WindowKind::Sliding << 2 << 1000 << 0 << QString()
            << QList<int>{0, 500, 600, 1000} << QStringLiteral("++-+");
        QTest::newRow("rolling: a pause of a whole window clears the log")
            << WindowKind::Rolling << 2 << 1000 << 0 << QString()
            << QList<int>{0, 500, 600, 1601, 1700} << QStringLiteral("++-++");

        // rate-limiter-flexible: the window opens at the first consume and
        // expires at first + duration; everything inside it consumes.
        QTest::newRow("fixed: opens at the first request, not the clock")
            << WindowKind::Fixed << 1 << 1000 << 700 << QString()
            << QList<int>{0, 300, 999, 1000} << QStringLiteral("+--+");
        QTest::newRow("fixed: rejected requests consume until the window ends")
            << WindowKind::Fixed << 2 << 10000 << 0 << QString()
            << QList<int>{0, 1000, 2000, 9000, 10000, 10500, 11000} << QStringLiteral("++--++-");

        // Kong: windows start on multiples of their length since the epoch.
        QTest::newRow("fixed-clock: a new window at the next whole second")
            << WindowKind::FixedClock << 1 << 1000 << 700 << QString()
            << QList<int>{0, 299, 300, 1299, 1300} << QStringLiteral("+-+-+");
        QTest::newRow("fixed-clock: the limit per clock second")
            << WindowKind::FixedClock << 2 << 1000 << 0 << QString()
            << QList<int>{0, 100, 200, 300, 1000, 1001, 1002} << QStringLiteral("++--++-");

        // redis-cell: burst of `limit`, then one per period/limit.
        QTest::newRow("gcra: a burst of limit, then one per emission interval")
            << WindowKind::Gcra << 5 << 5000 << 0 << QString()
            << QList<int>{0, 0, 0, 0, 0, 0, 999, 1000, 1500, 2000} << QStringLiteral("+++++--+-+");

        // A schedule counts from the first request: limit 1 during [1 s, 2 s).
        QTest::newRow("schedule: the limit drops for a while and comes back")
            << WindowKind::Sliding << 2 << 1000 << 0 << QStringLiteral("1000-2000:1")
            << QList<int>{0, 10, 20, 1500, 1600, 2500, 2510} << QStringLiteral("++-+-++");
        QTest::newRow("schedule: a fixed window holds the lower limit")
            << WindowKind::Fixed << 3 << 1000 << 0 << QStringLiteral("1000-2000:1")
            << QList<int>{0, 1, 2, 1000, 1001, 2000, 2001, 2002} << QStringLiteral("++++-+++");
    }
    void admitsWhatItsModelAdmits()
    {
        QFETCH(WindowKind, kind);
        QFETCH(int, limit);
        QFETCH(int, windowMs);
        QFETCH(int, wallOffsetMs);
        QFETCH(QString, scheduleSpec);
        QFETCH(QList<int>, times);
        QFETCH(QString, expected);
        RateWindow window(limit, ms(windowMs), kind, schedule(scheduleSpec));
        QString got;
        for (int t : times) {
            const RateDecision d = window.admit(kT0 + ms(t), kWall0 + ms(wallOffsetMs + t));
            got += d.allowed ? QLatin1Char('+') : QLatin1Char('-');
        }
        QCOMPARE(got, expected);
    }

    // rolling-rate-limiter's promise: a client that keeps trying faster than
    // the limit is never let through, however long it keeps at it.
    void rollingKeepsAHammeringClientBlocked()
    {
        RollingLogWindow window(1s);
        QVERIFY(window.admit(kT0, 10).allowed);
        int admitted = 1;
        for (int t = 10; t <= 30000; t += 10) // 100 attempts/s against 10/s
            admitted += window.admit(kT0 + ms(t), 10).allowed ? 1 : 0;
        QCOMPARE(admitted, 10);
        // Its millisecondsUntilAllowed: the attempt `limit` places back leaves the window.
        const RateDecision d = window.admit(kT0 + 30010ms, 10);
        QVERIFY(!d.allowed);
        // The log holds 29020..30010; the 91st of them (29920) leaving unblocks it.
        QCOMPARE(d.retryIn, Duration(910ms));
        QCOMPARE(d.remaining, 0);
        // A whole window of silence, and it admits again.
        QVERIFY(window.admit(kT0 + 31010ms, 10).allowed);
    }

    // rate-limiter-flexible: consumedPoints counts the rejected consume and
    // msBeforeNext is the time left in the window the first request opened.
    void fixedWindowCountsRejectedAndSaysMsBeforeNext()
    {
        RateWindow window(2, 10s, WindowKind::Fixed);
        QCOMPARE(window.admit(kT0 + 3s).fixedWindowStart, kT0 + 3s);
        QVERIFY(window.admit(kT0 + 4s).allowed);
        const RateDecision third = window.admit(kT0 + 5s);
        QVERIFY(!third.allowed);
        QCOMPARE(third.consumed, 3);
        QCOMPARE(third.remaining, 0);
        QCOMPARE(third.retryIn, Duration(8s));
        QCOMPARE(window.admit(kT0 + 12999ms).consumed, 4);
        const RateDecision next = window.admit(kT0 + 13s);
        QVERIFY(next.allowed);
        QCOMPARE(next.consumed, 1);
        QCOMPARE(next.fixedWindowStart, kT0 + 13s);
    }

    void clockAlignedWindowResetsOnTheWallClock()
    {
        ClockAlignedWindow window(10s);
        const WallTime wall = kWall0 + 7300ms; // 7.3 s into a 10 s window
        const RateDecision first = window.admit(kT0, wall, 1);
        QVERIFY(first.allowed);
        QCOMPARE(first.resetIn, Duration(2700ms));
        QCOMPARE(first.fixedWindowStart, kT0 - 7300ms);
        // Steady and wall time are read apart, so they drift by microseconds;
        // the window keeps the steady start of its first request for the stats.
        const RateDecision second = window.admit(kT0 + 1s, wall + 1s + 3us, 1);
        QVERIFY(!second.allowed);
        QCOMPARE(second.retryIn, Duration(1700ms) - Duration(3us));
        QCOMPARE(second.fixedWindowStart, first.fixedWindowStart);
        QCOMPARE(second.consumed, 1); // not counted
        QVERIFY(window.admit(kT0 + 2700ms, wall + 2700ms, 1).allowed);
    }

    // The cases of redis-cell's own test (src/cell/mod.rs, it_rate_limits):
    // limit 5 (max_burst 4) at 1 per second, one request each.
    void gcraMatchesRedisCell_data()
    {
        QTest::addColumn<QList<int>>("times");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<int>("remaining");
        QTest::addColumn<int>("resetMs");
        QTest::addColumn<int>("retryMs");
        // Each row replays the sequence up to its last time and checks the last answer.
        QTest::newRow("1st") << QList<int>{0} << true << 4 << 1000 << 0;
        QTest::newRow("5th") << QList<int>{0, 0, 0, 0, 0} << true << 0 << 5000 << 0;
        QTest::newRow("6th limited") << QList<int>{0, 0, 0, 0, 0, 0} << false << 0 << 5000 << 1000;
        QTest::newRow("+3000") << QList<int>{0, 0, 0, 0, 0, 0, 3000} << true << 2 << 3000 << 0;
        QTest::newRow("+3100") << QList<int>{0, 0, 0, 0, 0, 0, 3000, 3100} << true << 1 << 3900 << 0;
        QTest::newRow("+4000") << QList<int>{0, 0, 0, 0, 0, 0, 3000, 3100, 4000} << true << 1 << 4000 << 0;
        QTest::newRow("+8000") << QList<int>{0, 0, 0, 0, 0, 0, 3000, 3100, 4000, 8000} << true << 4 << 1000 << 0;
        QTest::newRow("+9500") << QList<int>{0, 0, 0, 0, 0, 0, 3000, 3100, 4000, 8000, 9500} << true << 4 << 1000 << 0;
    }
    void gcraMatchesRedisCell()
    {
        QFETCH(QList<int>, times);
        QFETCH(bool, allowed);
        QFETCH(int, remaining);
        QFETCH(int, resetMs);
        QFETCH(int, retryMs);
        GcraBucket bucket(5s);
        RateDecision d;
        for (int t : times)
            d = bucket.admit(kT0 + ms(t), 5);
        QCOMPARE(d.allowed, allowed);
        QCOMPARE(d.remaining, remaining);
        QCOMPARE(d.resetIn, ms(resetMs));
        QCOMPARE(d.retryIn, ms(retryMs));
    }

    void neighbourAttemptsAtItsPace()
    {
        NeighbourLoad idle;
        QVERIFY(!idle.active());
        idle.start(kT0);
        QVERIFY(idle.due(kT0 + 10s).empty());

        NeighbourLoad load(30.0);
        QVERIFY(load.due(kT0 + 1s).empty()); // not started: no first request yet
        load.start(kT0);
        load.start(kT0 + 5s); // the first request starts it; later ones change nothing
        const std::vector<TimePoint> first = load.due(kT0 + 1s);
        QCOMPARE(int(first.size()), 30);
        QCOMPARE(first.back(), kT0 + 1s);
        QVERIFY(load.due(kT0 + 1s).empty());
        QCOMPARE(int(load.due(kT0 + 1500ms).size()), 15);
    }

    // The neighbour spends from the scope's window before the request that
    // arrives after it: a client that fills the window starves it, one that
    // leaves room does not.
    void neighbourSharesTheScopesWindow_data()
    {
        QTest::addColumn<int>("clientPerSecond");
        QTest::addColumn<int>("clientAccepted"); // -1: not checked
        QTest::addColumn<int>("neighbourRejectedMin");
        QTest::addColumn<int>("neighbourRejectedMax");
        // 10 s, limit 100/s sliding, neighbour 30/s (300 attempts).
        QTest::newRow("client leaves room: 60/s + 30/s") << 60 << 601 << 0 << 0;
        QTest::newRow("client takes every slot: 1000/s") << 1000 << -1 << 250 << 300;
    }
    void neighbourSharesTheScopesWindow()
    {
        QFETCH(int, clientPerSecond);
        QFETCH(int, clientAccepted);
        QFETCH(int, neighbourRejectedMin);
        QFETCH(int, neighbourRejectedMax);
        ApiPolicy policy;
        policy.limit = 100;
        policy.window = 1s;
        policy.neighbourPerSecond = 30;
        RateScopes scopes;
        int nAccepted = 0, nRejected = 0;
        scopes.setNeighbourSink([&](const QString &scope, const ApiPolicy &, TimePoint, const RateDecision &d) {
            QCOMPARE(scope, QStringLiteral("generic/x"));
            (d.allowed ? nAccepted : nRejected)++;
        });
        int accepted = 0;
        const Duration gap = std::chrono::duration_cast<Duration>(1s) / clientPerSecond;
        // The client's first request opens the scope and starts the neighbour.
        for (TimePoint t = kT0; t < kT0 + 10s; t += gap)
            accepted += scopes.admit(QStringLiteral("generic/x"), policy, t).allowed ? 1 : 0;
        scopes.advance(kT0 + 10s, WallTime(kWall0 + 10s));
        QVERIFY(scopes.hasNeighbours());
        QCOMPARE(nAccepted + nRejected, 300);
        if (clientAccepted >= 0)
            QCOMPARE(accepted, clientAccepted);
        QVERIFY2(nRejected >= neighbourRejectedMin && nRejected <= neighbourRejectedMax,
                 qPrintable(QStringLiteral("neighbour rejected %1").arg(nRejected)));
        QVERIFY(accepted + nAccepted <= 1000 + 100);
    }
};

QTEST_GUILESS_MAIN(TestSandboxWindows)
#include "tst_sandbox_windows.moc"
