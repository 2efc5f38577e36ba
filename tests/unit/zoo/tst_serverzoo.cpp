// The engine's Lane against a zoo of servers as real ones behave (ZooServer),
// in virtual time: many random seeds x every mode. Whatever the server does,
// the lane never sits idle with work and nothing in flight longer than the
// longest wait the server justified plus a second, loses no row, dead-letters
// none for throttling, and keeps its 429s under each mode's bound.
#include "tests/unit/zoo/LaneSimulation.h"
#include "tests/unit/rate/ZooServer.h"

#include "core/rate/GrantedBudgetLimiter.h"
#include "core/run/Lane.h"

#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;
using Window = ZooServer::Window;
using Reset = ZooServer::Reset;
using RetryAfter = ZooServer::RetryAfter;

namespace {

struct Mode
{
    ZooServer::Config server;
    std::optional<int> configured; // what the operator or profile says
    Duration configuredWindow = 1s;
    bool discover = false;
    bool followHeaders = true;
    // 429s of all attempts in the short property runs (800 rows): a limit
    // below the configured one costs one round trip of them when first met.
    double max429Share = 0.02;
};

run::LaneConfig laneFor(const Mode &mode)
{
    run::LaneConfig c;
    c.name = QStringLiteral("zoo");
    c.limit = mode.configured;
    c.window = mode.configuredWindow;
    c.discover = mode.discover || !mode.configured;
    c.followHeaders = mode.followHeaders;
    c.transferTimeout = 2s;
    // As RunPlan sizes it: ceil(rate x 0.6 s) + 2 in [6, 128].
    const double perS = mode.configured ? *mode.configured / std::chrono::duration<double>(mode.configuredWindow).count() : 50.0;
    c.concurrency = std::clamp(int(std::ceil(perS * 0.6)) + 2, 6, 128);
    return c;
}

Mode sliding(int limit, std::optional<int> configured)
{
    Mode m;
    m.server.window = Window::SlidingLog;
    m.server.limit = limit;
    m.configured = configured;
    return m;
}

QMap<QString, Mode> zoo()
{
    QMap<QString, Mode> modes;
    modes.insert(QStringLiteral("exact sliding 100/1s"), sliding(100, 100));
    Mode hidden = sliding(60, 100);
    hidden.max429Share = 0.06;
    modes.insert(QStringLiteral("hidden 60/1s sliding"), hidden);
    Mode rolling = hidden;
    rolling.server.window = Window::RollingCountsRejections;
    modes.insert(QStringLiteral("hidden 60/1s rolling counts rejections"), rolling);
    Mode discover = rolling;
    discover.configured.reset();
    modes.insert(QStringLiteral("discover 60/1s rolling counts rejections"), discover);
    Mode halves = sliding(100, 100);
    halves.server.schedule = {{10s, 50}, {20s, 100}};
    halves.max429Share = 0.03;
    modes.insert(QStringLiteral("limit halves for 10 s"), halves);
    Mode neighbour = sliding(100, 100);
    neighbour.server.window = Window::RollingCountsRejections;
    neighbour.server.neighbourPerS = 30;
    neighbour.max429Share = 0.06;
    modes.insert(QStringLiteral("neighbour spends 30/s"), neighbour);
    Mode lost = sliding(100, 100);
    lost.server.lostAnswers = 0.03;
    modes.insert(QStringLiteral("3 % of answers lost"), lost);
    Mode app = sliding(10, 10);
    app.server.retryAfter = RetryAfter::Seconds;
    modes.insert(QStringLiteral("App API 10/1s Retry-After seconds"), app);
    Mode appLow = sliding(6, 10);
    appLow.server.retryAfter = RetryAfter::HttpDate;
    appLow.max429Share = 0.03; // a probe a few windows apart is a larger share of a small budget
    modes.insert(QStringLiteral("App API below documented, Retry-After date"), appLow);

    Mode segment;
    segment.server.window = Window::FixedAnchored;
    segment.server.limit = 30;
    segment.server.length = 10s;
    segment.server.reset = Reset::DateTruncated;
    segment.configured = 30;
    segment.configuredWindow = 10s;
    segment.max429Share = 1.0; // bounded per window below
    modes.insert(QStringLiteral("Segment anchored 30/10s truncated dates, Remaining only"), segment);
    Mode segmentFull = segment;
    segmentFull.server.consumedHeader = true;
    segmentFull.server.msBeforeNextBody = true;
    segmentFull.server.retryAfter = RetryAfter::Seconds;
    modes.insert(QStringLiteral("Segment anchored 30/10s truncated dates, Consumed, msBeforeNext"), segmentFull);
    // The profile's window is shorter than the server's: tried once, refused, dropped.
    Mode longer = segment;
    longer.server.length = 12s;
    modes.insert(QStringLiteral("anchored 30/12s truncated dates, 30/10s configured"), longer);
    Mode ceil = segment;
    ceil.server.reset = Reset::DateRoundedUp;
    modes.insert(QStringLiteral("anchored 30/10s dates rounded up"), ceil);
    Mode clock = segment;
    clock.server.window = Window::FixedClock;
    clock.server.reset = Reset::EpochSeconds;
    clock.server.limitHeader = true;
    modes.insert(QStringLiteral("clock-aligned 30/10s epoch seconds"), clock);
    Mode shortRetry;
    shortRetry.server.window = Window::FixedAnchored;
    shortRetry.server.limit = 20;
    shortRetry.server.length = 5s;
    shortRetry.server.retryAfter = RetryAfter::OneSecond;
    shortRetry.configured = 30;
    shortRetry.configuredWindow = 5s;
    shortRetry.max429Share = 0.10;
    modes.insert(QStringLiteral("Retry-After shorter than the truth, 20/5s anchored"), shortRetry);
    Mode delta = sliding(40, 50);
    delta.server.reset = Reset::DeltaSeconds;
    delta.server.retryAfter = RetryAfter::Seconds;
    modes.insert(QStringLiteral("reset as delta seconds, 40 of 50/1s"), delta);
    return modes;
}

} // namespace

class TestServerZoo : public QObject
{
    Q_OBJECT

private slots:
    void everyModeIsLiveAndLosesNothing_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<quint64>("seed");
        const auto modes = zoo();
        for (auto it = modes.begin(); it != modes.end(); ++it) {
            for (quint64 seed = 1; seed <= 12; ++seed)
                QTest::addRow("%s, seed %llu", qPrintable(it.key()), seed) << it.key() << seed;
        }
    }
    void everyModeIsLiveAndLosesNothing()
    {
        QFETCH(QString, mode);
        QFETCH(quint64, seed);
        const Mode m = zoo().value(mode);
        FakeClock clock;
        clock.advance(Duration(std::chrono::milliseconds(seed * 137 % 1000))); // off the second grid
        ZooServer::Config serverConfig = m.server;
        serverConfig.seed = seed;
        ZooServer server(serverConfig);
        LaneSimulation::Config sim;
        sim.seed = seed;
        sim.rows = m.server.length >= 5s ? 150 : 800;
        sim.maxLatency = Duration(std::chrono::milliseconds(20 + seed * 23 % 300));
        const auto r = LaneSimulation(clock, server, laneFor(m), sim).run();
        const QString what = QStringLiteral("%1: done %2, dead %3 (%4), attempts %5, 429s %6, longest idle %7 ms")
                                 .arg(server.describe())
                                 .arg(r.done)
                                 .arg(r.deadLetters)
                                 .arg(r.deadReasons.value(0))
                                 .arg(r.attempts)
                                 .arg(r.throttled)
                                 .arg(std::chrono::duration_cast<std::chrono::milliseconds>(r.longestIdle).count())
                             + QStringLiteral(" at %1 s").arg(std::chrono::duration<double>(r.longestIdleAt - r.start).count());
        QVERIFY2(r.finished, qPrintable(what));
        QVERIFY2(r.deadLetters == 0, qPrintable(what));
        QCOMPARE(r.done, sim.rows);
        // The longest wait anything justified: a window, what the server
        // stated, and an open circuit breaker's cool-down once timeouts
        // (lost answers) come in a row.
        Duration justified = std::max(m.server.length, m.configuredWindow) + r.longestStatedWait + 1s;
        if (m.server.lostAnswers > 0)
            justified += run::LaneConfig{}.breaker.openFor;
        QVERIFY2(r.longestIdle <= justified, qPrintable(what));
        const double share = double(r.throttled) / r.attempts;
        QVERIFY2(share <= m.max429Share, qPrintable(what));
        if (m.server.window == Window::FixedAnchored || m.server.window == Window::FixedClock) {
            const double windows = r.elapsedS() / std::chrono::duration<double>(m.server.length).count() + 1;
            QVERIFY2(r.throttled <= windows, qPrintable(what));
        }
    }

    // Segment Public: 120 requests at 30 per 10 s, a window opened by its
    // first request, truncated reset dates. The windows open 10 s apart, so
    // the fourth (and last) opens 30 s after the first request; a request
    // held late in one window (to learn the dates' rounding) must not hold
    // the same request of every later window (the configured window defers
    // to the server's reports), nor keep the run's end waiting.
    void segmentWindowsEndWhenTheServerSays_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("Consumed") << QStringLiteral("Segment anchored 30/10s truncated dates, Consumed, msBeforeNext");
        QTest::newRow("Remaining only") << QStringLiteral("Segment anchored 30/10s truncated dates, Remaining only");
    }
    void segmentWindowsEndWhenTheServerSays()
    {
        QFETCH(QString, mode);
        const Mode m = zoo().value(mode);
        for (quint64 seed = 1; seed <= 5; ++seed) {
            FakeClock clock;
            clock.advance(Duration(std::chrono::milliseconds(seed * 211 % 1000)));
            ZooServer::Config serverConfig = m.server;
            serverConfig.seed = seed;
            ZooServer server(serverConfig);
            LaneSimulation::Config sim;
            sim.seed = seed;
            sim.rows = 120;
            sim.minLatency = 30ms;
            sim.maxLatency = 70ms;
            const auto r = LaneSimulation(clock, server, laneFor(m), sim).run();
            QVERIFY(r.finished);
            QCOMPARE(r.throttled, 0);
            const double span = std::chrono::duration<double>(r.acceptedArrivals.back() - r.acceptedArrivals.front()).count();
            qInfo("%s seed %llu: last accepted %.2f s after the first (30 s at the least)", qPrintable(mode), seed, span);
            QVERIFY2(30.0 / span >= 0.90, qPrintable(QString::number(span)));
        }
    }

    // The benchmark rows of issue 16 in virtual time: what the lane reaches of
    // what the server offered, and its 429 share.
    void reachesWhatTheServerGrants_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<int>("rows");
        QTest::addColumn<double>("minEfficiency");
        QTest::newRow("exact sliding") << QStringLiteral("exact sliding 100/1s") << 1500 << 0.97;
        QTest::newRow("hidden sliding") << QStringLiteral("hidden 60/1s sliding") << 3000 << 0.95;
        QTest::newRow("hidden rolling") << QStringLiteral("hidden 60/1s rolling counts rejections") << 3000 << 0.95;
        QTest::newRow("discover rolling") << QStringLiteral("discover 60/1s rolling counts rejections") << 3000 << 0.95;
        QTest::newRow("halves") << QStringLiteral("limit halves for 10 s") << 3000 << 0.90;
        QTest::newRow("neighbour") << QStringLiteral("neighbour spends 30/s") << 3000 << 0.80;
    }
    void reachesWhatTheServerGrants()
    {
        QFETCH(QString, mode);
        QFETCH(int, rows);
        QFETCH(double, minEfficiency);
        const Mode m = zoo().value(mode);
        const quint64 firstSeed = qEnvironmentVariableIntValue("ZOO_SEED") > 0 ? quint64(qEnvironmentVariableIntValue("ZOO_SEED")) : 1;
        const quint64 lastSeed = qEnvironmentVariableIntValue("ZOO_SEED") > 0 ? firstSeed : 3;
        for (quint64 seed = firstSeed; seed <= lastSeed; ++seed) {
            FakeClock clock;
            ZooServer::Config serverConfig = m.server;
            serverConfig.seed = seed;
            ZooServer server(serverConfig);
            LaneSimulation::Config sim;
            sim.seed = seed;
            sim.rows = rows;
            sim.minLatency = 120ms; // 150 ms +- 20 %
            sim.maxLatency = 180ms;
            const auto r = LaneSimulation(clock, server, laneFor(m), sim).run();
            QVERIFY(r.finished);
            // Hidden limits are measured after the first 10 s (the issue's
            // measure); the others over the whole run.
            const bool hidden = mode.contains(QLatin1String("hidden")) || mode.contains(QLatin1String("discover"));
            const TimePoint from = r.start + (hidden ? Duration(10s) : Duration::zero());
            const auto firstCounted = std::lower_bound(r.acceptedArrivals.begin(), r.acceptedArrivals.end(), from);
            const double got = double(std::distance(firstCounted, r.acceptedArrivals.end()));
            const double offered = server.capacity(from, r.acceptedArrivals.back());
            const double efficiency = got / offered;
            const double share = double(r.throttled) / r.attempts;
            qInfo("%s seed %llu: efficiency %.3f, %d 429s of %d (%.2f %%), neighbour rejected %d, %.1f s",
                  qPrintable(server.describe()), seed, efficiency, r.throttled, r.attempts, 100 * share,
                  server.neighbourRejected(), r.elapsedS());
            QVERIFY2(efficiency >= minEfficiency, qPrintable(QString::number(efficiency)));
            QVERIFY2(share <= m.max429Share, qPrintable(QString::number(share)));
            QCOMPARE(r.deadLetters, 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestServerZoo)
#include "tst_serverzoo.moc"
