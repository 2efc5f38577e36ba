// What the Live charts plot, against what the sandbox saw: a sliding-window
// import on real sockets, sampled densely. A point is the count of one real
// window of the lane's limit, so none may show more requests than the
// server's busiest window held.
#include "tests/support/CallSources.h"
#include "tests/support/SandboxStats.h"
#include "tests/support/TestFiles.h"
#include "core/apis/ApiProfile.h"
#include "core/clock/SteadyClock.h"
#include "core/http/Credentials.h"
#include "core/run/Dispatcher.h"
#include "core/sandbox/SandboxThread.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

class TestChartWindows : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;

private slots:
    void cleanupTestCase() { m_sandbox.stop(); }

    // Customer.io's Track API: a sliding window and no rate headers, so the
    // headroom line is the engine's own estimate.
    void plottedPointsNeverExceedTheServersWindow()
    {
        constexpr int kLimit = 20;
        constexpr auto kWindow = 200ms;
        sandbox::SandboxConfig config;
        sandbox::ApiPolicy policy = config.policy(QStringLiteral("customerio-track"));
        policy.limit = kLimit;
        policy.window = kWindow;
        policy.kind = sandbox::WindowKind::Sliding;
        config.apis.insert(QStringLiteral("customerio-track"), policy);
        QVERIFY(m_sandbox.start(config));

        const apis::ApiProfile *profile = apis::ApiProfile::find(QStringLiteral("customerio-track"));
        run::LaneConfig lane;
        lane.name = QStringLiteral("track");
        lane.baseUrl = m_sandbox.baseUrl(QStringLiteral("customerio-track"));
        lane.credentials = http::Credentials::sandboxDefaults(*profile);
        lane.concurrency = 16;
        lane.randomSeed = 7;
        lane.limit = kLimit;
        lane.window = kWindow;
        // Arrival jitter of a sandbox sharing two cores with a parallel ctest
        // (see tst_engine); the chart's count does not depend on it.
        lane.slidingMargin = 25ms;
        constexpr int kRows = 240;
        run::Dispatcher dispatcher(testing::csvSource(testing::customersCsv("c", kRows, "pro"),
                                                      QStringLiteral("customerio-track")),
                                   {lane}, SteadyClock::instance());
        dispatcher.setSampleInterval(15ms); // many points per window, at every phase of it

        QList<metrics::LaneSnapshot> points;
        connect(&dispatcher, &run::Dispatcher::sampled, this,
                [&points](const QList<metrics::LaneSnapshot> &lanes) { points << lanes; });
        QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
        dispatcher.start();
        QVERIFY(finished.wait(60000));
        const run::RunSummary summary = dispatcher.summary();
        QCOMPARE(summary.rowsDone, kRows);
        QCOMPARE(summary.responses429, 0);

        const qint64 serverPeak = testing::scopePeak(m_sandbox.stats());
        QVERIFY2(serverPeak > 0 && serverPeak <= kLimit, qPrintable(QString::number(serverPeak)));
        QVERIFY(points.size() > 50);
        // Before the first send: the whole budget ahead.
        QCOMPARE(points.first().sentInWindow, 0);
        QCOMPARE(points.first().estimatedRemaining, kLimit);
        qint64 plottedPeak = 0;
        qint64 leastEstimate = kLimit;
        qint64 mostEstimate = 0;
        for (const metrics::LaneSnapshot &p : points) {
            QCOMPARE(p.rateWindowS, 0.2);
            // The plotted rate is the window's count, nothing else.
            QCOMPARE(qRound64(p.sentPerS * p.rateWindowS), p.sentInWindow);
            QVERIFY2(p.sentInWindow <= serverPeak,
                     qPrintable(QStringLiteral("%1 plotted in a window at %2 s; the server's busiest window held %3")
                                    .arg(p.sentInWindow)
                                    .arg(p.elapsedS)
                                    .arg(serverPeak)));
            QVERIFY(p.rowsPerS <= p.sentPerS + 1e-9);
            QVERIFY(p.throttledPerS <= p.sentPerS + 1e-9);
            plottedPeak = std::max(plottedPeak, p.sentInWindow);
            // No rate headers from Track: only the estimate, limit minus the window's sends.
            QCOMPARE(p.remaining, -1);
            QCOMPARE(p.estimatedRemaining, kLimit - p.sentInWindow);
            leastEstimate = std::min(leastEstimate, p.estimatedRemaining);
            mostEstimate = std::max(mostEstimate, p.estimatedRemaining);
        }
        QVERIFY2(plottedPeak > kLimit / 2, qPrintable(QString::number(plottedPeak))); // the run did fill windows
        QVERIFY(leastEstimate < mostEstimate);                                        // the headroom line moves
    }
};

QTEST_GUILESS_MAIN(TestChartWindows)
#include "tst_chart_windows.moc"
