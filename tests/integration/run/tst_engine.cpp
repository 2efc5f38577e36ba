// The engine (Dispatcher + Lane) against the real sandbox on 127.0.0.1: real
// sockets, real QNAMs, small windows so each case takes a second or two.
#include "tests/support/CallSources.h"
#include "tests/support/SandboxStats.h"
#include "tests/support/TestFiles.h"
#include "core/apis/ApiProfile.h"
#include "core/clock/SteadyClock.h"
#include "core/http/Credentials.h"
#include "core/rate/LimiterStack.h"
#include "core/run/Dispatcher.h"
#include "core/run/RunLogWriter.h"
#include "core/sandbox/SandboxThread.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

QByteArray customersCsv(int rows)
{
    return testing::customersCsv("c", rows, "pro");
}

std::unique_ptr<imports::CallSource> sourceFor(const QByteArray &csv, const QString &profile = QStringLiteral("customerio-track"))
{
    return testing::csvSource(csv, profile);
}

run::LaneConfig trackLane(const sandbox::SandboxThread &sandbox)
{
    const apis::ApiProfile *profile = apis::ApiProfile::find(QStringLiteral("customerio-track"));
    run::LaneConfig lane;
    lane.name = QStringLiteral("track");
    lane.baseUrl = sandbox.baseUrl(QStringLiteral("customerio-track"));
    lane.credentials = http::Credentials::sandboxDefaults(*profile);
    lane.concurrency = 16;
    lane.randomSeed = 7;
    return lane;
}

using testing::scopePeak;

// The run log's notice lines (the liveness guard, giving up, the shared budget).
struct NoticeLog : run::RunObserver
{
    QList<run::AttemptRecord> notices;
    void attemptFinished(const run::AttemptRecord &record) override
    {
        if (record.decision == QLatin1String("notice"))
            notices << record;
    }
    qsizetype count(QLatin1String operation) const
    {
        return std::count_if(notices.begin(), notices.end(),
                             [operation](const run::AttemptRecord &r) { return r.operation == operation; });
    }
};

// A limiter that has lost track and never lets the lane go: what the liveness
// guard is there for. A far time, not TimePoint::max() ("wait for a
// response"), which the lane already turns into a probe when nothing is in flight.
class StuckLimiter final : public rate::Limiter
{
public:
    QString name() const override { return QStringLiteral("stuck-test-limiter"); }
    TimePoint earliestSend(TimePoint now) const override { return now + std::chrono::hours(1); }
    void onSend(TimePoint) override {}
    void onResponse(TimePoint, const rate::ResponseObservation &) override {}
};

// Puts a StuckLimiter into the first lane's stack before anything is sent.
struct StuckLane : NoticeLog
{
    void lanesStarted(const QList<run::Lane *> &lanes, TimePoint) override
    {
        lanes.first()->limiters().add(std::make_unique<StuckLimiter>());
    }
};

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;

    sandbox::SandboxConfig trackConfig(int limit, std::chrono::milliseconds window)
    {
        sandbox::SandboxConfig config;
        sandbox::ApiPolicy policy = config.policy(QStringLiteral("customerio-track"));
        policy.limit = limit;
        policy.window = window;
        config.apis.insert(QStringLiteral("customerio-track"), policy);
        return config;
    }

    run::RunSummary runToEnd(run::Dispatcher &dispatcher, int timeoutMs = 30000)
    {
        QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
        dispatcher.start();
        if (finished.isEmpty())
            [&] { QVERIFY(finished.wait(timeoutMs)); }();
        return dispatcher.summary();
    }

private slots:
    void init()
    {
        m_sandbox.stop();
    }

    void cleanupTestCase()
    {
        m_sandbox.stop();
    }

    void configuredLimitMeansNoThrottling()
    {
        QVERIFY(m_sandbox.start(trackConfig(20, 200ms)));
        run::LaneConfig lane = trackLane(m_sandbox);
        lane.limit = 20;
        lane.window = 200ms;
        // The sandbox shares this process and two cores with the test runner:
        // under ASan and a parallel ctest its thread can stamp an arrival tens
        // of ms late. Allow for that jitter explicitly; the default (5 ms,
        // learned upward) is measured on a quiet machine by bench_engine.sh.
        lane.slidingMargin = 25ms;
        run::Dispatcher dispatcher(sourceFor(customersCsv(200)), {lane}, SteadyClock::instance());
        NoticeLog log;
        dispatcher.addObserver(&log);
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(log.notices.size(), 0); // the liveness guard never fires in a normal run

        QCOMPARE(summary.ending, run::RunSummary::Ending::Completed);
        QCOMPARE(summary.rowsTotal, 200);
        QCOMPARE(summary.rowsDone, 200);
        QCOMPARE(summary.rowsFailed, 0);
        QCOMPARE(summary.responses429, 0);
        QCOMPARE(summary.requests, 200);
        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("accepted")).toInteger(), 200);
        QCOMPARE(stats.value(QStringLiteral("duplicates")).toInteger(), 0);
        QCOMPARE(stats.value(QStringLiteral("distinctIdentities")).toInteger(), 200);
        // Read from the server's own count; zero would mean the stats were not.
        QVERIFY2(scopePeak(stats) > 0 && scopePeak(stats) <= 20, qPrintable(QString::number(scopePeak(stats))));
        // Every row reached the server exactly once and nothing is left over;
        // how fast belongs to tests/bench/run/bench_engine.sh, not to a test
        // that shares two cores with a sanitizer build.
        QCOMPARE(summary.rowsNotAttempted, 0);
        QCOMPARE(summary.retries, 0);
    }

    void retryAfterPausesTheLane()
    {
        QVERIFY(m_sandbox.start(trackConfig(10, 500ms)));
        run::LaneConfig lane = trackLane(m_sandbox); // no limit configured: only the server can say
        run::Dispatcher dispatcher(sourceFor(customersCsv(25)), {lane}, SteadyClock::instance());
        dispatcher.setSampleInterval(20ms);
        NoticeLog log;
        dispatcher.addObserver(&log);
        bool sawPause = false;
        QString pauseReason;
        connect(&dispatcher, &run::Dispatcher::sampled, this, [&](const QList<metrics::LaneSnapshot> &lanes) {
            if (!lanes.isEmpty() && lanes.first().paused && !sawPause) {
                sawPause = true;
                pauseReason = lanes.first().pauseReason;
            }
        });
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(summary.rowsDone, 25);
        QVERIFY(summary.responses429 >= 1);
        QVERIFY(sawPause);
        QVERIFY2(pauseReason.contains(QStringLiteral("Retry-After"), Qt::CaseInsensitive), qPrintable(pauseReason));
        // A 429 with Retry-After does not burn attempts: nothing dead-lettered.
        QCOMPARE(summary.rowsFailed, 0);
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("distinctIdentities")).toInteger(), 25);
        // A Retry-After is a wait the lane was given: no liveness notice.
        QCOMPARE(log.count(QLatin1String("liveness-guard")), 0);
    }

    // The workspace grants half of what the lane was told: the first 429 is
    // a measurement, the run log says what the lane learned, every row ends
    // done (a 429 is never a row's fault) and the 429s stay a small share.
    void aLowerLimitIsLearnedAndSaid()
    {
        QVERIFY(m_sandbox.start(trackConfig(10, 200ms)));
        run::LaneConfig lane = trackLane(m_sandbox);
        lane.limit = 20;
        lane.window = 200ms;
        lane.slidingMargin = 25ms;
        lane.retry.maxAttempts = 2;
        run::Dispatcher dispatcher(sourceFor(customersCsv(300)), {lane}, SteadyClock::instance());
        NoticeLog log;
        dispatcher.addObserver(&log);
        const run::RunSummary summary = runToEnd(dispatcher, 60000);
        QCOMPARE(summary.rowsDone, 300);
        QCOMPARE(summary.rowsFailed, 0);
        QVERIFY(summary.responses429 >= 1);
        QVERIFY2(summary.responses429 <= 30, qPrintable(QString::number(summary.responses429)));
        QVERIFY(log.count(QLatin1String("granted-budget")) >= 1);
        const QString said = log.notices.first().reason;
        QVERIFY2(said.contains(QStringLiteral("pacing at")), qPrintable(said));
        QCOMPARE(log.count(QLatin1String("liveness-guard")), 0);
        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("distinctIdentities")).toInteger(), 300);
        QVERIFY(scopePeak(stats) <= 10);
    }

    // The last row goes out when the window is full; the source says it has
    // ended only when asked for one more call. The run must end with the last
    // answer (the same event-loop turn), not a window later when the lane
    // could send again: a posted event from the last settle must not run first.
    void finishesInTheTurnOfTheLastAnswer()
    {
        QVERIFY(m_sandbox.start(trackConfig(10, 500ms)));
        run::LaneConfig lane = trackLane(m_sandbox);
        lane.limit = 10;
        lane.window = 500ms;
        lane.slidingMargin = 25ms;
        struct TurnWatch : run::RunObserver
        {
            QObject context;
            int settles = 0;
            bool turnEndedAfterLastSettle = false;
            void attemptFinished(const run::AttemptRecord &) override
            {
                const int settle = ++settles;
                turnEndedAfterLastSettle = false;
                QMetaObject::invokeMethod(
                    &context, [this, settle] {
                        if (settle == settles)
                            turnEndedAfterLastSettle = true;
                    },
                    Qt::QueuedConnection);
            }
        } watch;
        run::Dispatcher dispatcher(sourceFor(customersCsv(20)), {lane}, SteadyClock::instance());
        dispatcher.addObserver(&watch);
        bool endedInLastTurn = false;
        connect(&dispatcher, &run::Dispatcher::finished, this,
                [&] { endedInLastTurn = watch.settles > 0 && !watch.turnEndedAfterLastSettle; });
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(summary.ending, run::RunSummary::Ending::Completed);
        QCOMPARE(summary.rowsDone, 20);
        QCOMPARE(watch.settles, 20);
        QVERIFY(endedInLastTurn);
    }

    // A lane whose limiter never lets go, with rows waiting and nothing in
    // flight past every wait it was given (its window, a reset, a pause): the
    // guard sends one request at a time anyway and says which rule held it.
    void livenessGuardSendsPastAStuckLimiter()
    {
        QVERIFY(m_sandbox.start(trackConfig(100, 1000ms)));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        run::RunLogWriter runLog(dir.filePath(QStringLiteral("requests.jsonl")));
        QString error;
        QVERIFY2(runLog.open(&error), qPrintable(error));
        run::LaneConfig lane = trackLane(m_sandbox);
        lane.limit = 10;
        lane.window = 100ms;
        StuckLane stuck;
        run::Dispatcher dispatcher(sourceFor(customersCsv(3)), {lane}, SteadyClock::instance());
        dispatcher.addObserver(&stuck);
        dispatcher.addObserver(&runLog);
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(summary.ending, run::RunSummary::Ending::Completed);
        QCOMPARE(summary.rowsDone, 3);
        QCOMPARE(summary.rowsFailed, 0);
        QCOMPARE(summary.requests, 3); // one request per guard, never a burst
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(), 3);
        QCOMPARE(stuck.notices.size(), 3);
        for (const run::AttemptRecord &notice : std::as_const(stuck.notices)) {
            QCOMPARE(notice.operation, QStringLiteral("liveness-guard"));
            QVERIFY2(notice.reason.contains(QStringLiteral("stuck-test-limiter")), qPrintable(notice.reason));
        }
        runLog.flush();
        QFile file(dir.filePath(QStringLiteral("requests.jsonl")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray lines = file.readAll();
        QCOMPARE(lines.count("\"decision\":\"notice\""), 3);
        QVERIFY(lines.contains("stuck-test-limiter"));
    }

    // Nothing finishes for the bound while rows wait (every answer a 429
    // with a Retry-After far beyond it): the run stops as GaveUp, nothing is
    // dead-lettered, and every row not done is left for a resume.
    void noProgressGivesUpWithoutDeadLetters()
    {
        QVERIFY(m_sandbox.start(trackConfig(1, 3600s)));
        run::LaneConfig lane = trackLane(m_sandbox);
        run::Dispatcher dispatcher(sourceFor(customersCsv(10)), {lane}, SteadyClock::instance());
        dispatcher.setGiveUpAfter(1s);
        NoticeLog log;
        dispatcher.addObserver(&log);
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(summary.ending, run::RunSummary::Ending::GaveUp);
        QCOMPARE(summary.stopped, QStringLiteral("no progress for 1s"));
        QCOMPARE(summary.rowsDone, 1); // the hour's one request
        QCOMPARE(summary.rowsFailed, 0);
        QVERIFY(summary.responses429 >= 1);
        QCOMPARE(summary.rowsDone + summary.rowsNotAttempted, summary.rowsTotal);
        QCOMPARE(log.count(QLatin1String("give-up")), 1);
        QCOMPARE(log.count(QLatin1String("liveness-guard")), 0);
    }

    void timeoutIsRetriedAndNeverCountedAsThrottling()
    {
        sandbox::SandboxConfig config = trackConfig(1000, 1000ms);
        config.faults.stall = 0.25;
        config.faults.stallMs = 4000;
        config.faults.seed = 11;
        QVERIFY(m_sandbox.start(config));
        run::LaneConfig lane = trackLane(m_sandbox);
        lane.transferTimeout = 250ms;
        lane.retry.baseDelay = 10ms;
        lane.breaker.failureThreshold = 1000; // this case is about timeouts, not the breaker
        run::Dispatcher dispatcher(sourceFor(customersCsv(30)), {lane}, SteadyClock::instance());
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(summary.rowsDone, 30);
        QVERIFY(summary.timeouts >= 1);
        QCOMPARE(summary.retries, summary.timeouts);
        QCOMPARE(summary.responses429, 0);
        QCOMPARE(dispatcher.lane(0).counters().responses429, 0);
    }

    void pauseHoldsAndResumeFinishes()
    {
        QVERIFY(m_sandbox.start(trackConfig(100, 1000ms)));
        run::LaneConfig lane = trackLane(m_sandbox);
        lane.limit = 20;
        lane.window = 1000ms;
        run::Dispatcher dispatcher(sourceFor(customersCsv(30)), {lane}, SteadyClock::instance());
        dispatcher.setSampleInterval(20ms);
        QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
        QSignalSpy states(&dispatcher, &run::Dispatcher::stateChanged);
        dispatcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(dispatcher.lane(0).counters().rowsDone >= 5, 5000);
        dispatcher.pause();
        QCOMPARE(dispatcher.state(), run::Dispatcher::State::Paused);
        QTRY_COMPARE_WITH_TIMEOUT(dispatcher.lane(0).inFlight(), 0, 5000);
        const qint64 sentWhilePaused = dispatcher.lane(0).counters().requestsSent;
        // Let the window reopen (the lane would send 20 more if it were running).
        QSignalSpy samples(&dispatcher, &run::Dispatcher::sampled);
        QTRY_VERIFY_WITH_TIMEOUT(samples.size() >= 60, 5000); // >= 1.2 s of samples
        QCOMPARE(dispatcher.lane(0).counters().requestsSent, sentWhilePaused);
        QVERIFY(samples.last().first().value<QList<metrics::LaneSnapshot>>().first().paused);
        dispatcher.resume();
        QVERIFY(finished.wait(10000));
        QCOMPARE(dispatcher.summary().rowsDone, 30);
        QVERIFY(states.size() >= 3); // Running, Paused, Running, Finished
    }

    void cancelLeavesRowsForResume()
    {
        QVERIFY(m_sandbox.start(trackConfig(100, 1000ms)));
        run::LaneConfig lane = trackLane(m_sandbox);
        lane.limit = 5;
        lane.window = 1000ms;
        run::Dispatcher dispatcher(sourceFor(customersCsv(40)), {lane}, SteadyClock::instance());
        QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
        dispatcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(dispatcher.lane(0).counters().rowsDone >= 5, 5000);
        dispatcher.cancel();
        QCOMPARE(finished.size(), 1);
        const run::RunSummary summary = dispatcher.summary();
        QCOMPARE(summary.ending, run::RunSummary::Ending::Cancelled);
        QVERIFY(summary.rowsDone >= 5);
        QVERIFY(summary.rowsDone < 40);
        QCOMPARE(summary.rowsDone + summary.rowsFailed + summary.rowsNotAttempted, summary.rowsTotal);
    }

    // A dispatcher destroyed with requests in flight (a failed test, a
    // console closed mid-run) aborts them without settling, logging or
    // sending anything more: the aborts must not reach a half-destroyed engine.
    void destroyedWithRequestsInFlightReportsNothing()
    {
        sandbox::SandboxConfig config = trackConfig(1000, 1000ms);
        config.faults.latencyMs = 5000;
        QVERIFY(m_sandbox.start(config));
        struct Counter : run::RunObserver
        {
            int sent = 0;
            int attempts = 0;
            void callSent(const run::Job &) override { ++sent; }
            void attemptFinished(const run::AttemptRecord &) override { ++attempts; }
        } counter;
        int sentBefore = 0;
        {
            run::LaneConfig lane = trackLane(m_sandbox);
            run::Dispatcher dispatcher(sourceFor(customersCsv(20)), {lane}, SteadyClock::instance());
            dispatcher.addObserver(&counter);
            dispatcher.start();
            QTRY_VERIFY_WITH_TIMEOUT(dispatcher.lane(0).counters().requestsSent >= 1, 4000);
            QCOMPARE(counter.attempts, 0); // 5 s from an answer
            sentBefore = counter.sent;
        }
        QCOMPARE(counter.sent, sentBefore);
        QCOMPARE(counter.attempts, 0);
    }

    void permanentErrorIsDeadLetteredWithoutRetry()
    {
        QVERIFY(m_sandbox.start());
        QByteArray requests;
        for (int i = 1; i <= 5; ++i)
            requests += "{\"method\":\"POST\",\"path\":\"/things/" + QByteArray::number(i) + "\",\"body\":{}}\n";
        requests += "{\"method\":\"POST\",\"path\":\"/status/400\",\"body\":{\"bad\":true}}\n";
        imports::CallSourceOptions options;
        options.profile = QStringLiteral("generic");
        options.bytes = requests;
        options.filePath = QStringLiteral("requests.jsonl");
        options.format = imports::InputFormat::JsonLines;
        run::LaneConfig lane;
        lane.name = QStringLiteral("generic");
        lane.baseUrl = m_sandbox.baseUrl(QStringLiteral("generic"));
        lane.limit = 50;
        struct Failures : run::RunObserver
        {
            QList<run::FailedRows> failed;
            void rowsFailed(const run::FailedRows &f) override { failed << f; }
        } failures;
        run::Dispatcher dispatcher(std::make_unique<imports::CallSource>(options), {lane}, SteadyClock::instance());
        dispatcher.addObserver(&failures);
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(summary.rowsDone, 5);
        QCOMPARE(summary.rowsFailed, 1);
        QCOMPARE(summary.requests, 6); // the 400 was sent once: no retry
        QCOMPARE(summary.retries, 0);
        QCOMPARE(failures.failed.size(), 1);
        QCOMPARE(failures.failed.first().rows, QList<qint64>{6});
        QCOMPARE(failures.failed.first().lastStatus, 400);
        QCOMPARE(failures.failed.first().attempts, 1);
        QVERIFY(failures.failed.first().lastBody.contains("status 400 requested"));
        QVERIFY(failures.failed.first().reason.contains(QStringLiteral("400")));
    }

    void tooLargeBatchIsSplitUntilItFits()
    {
        // The sandbox refuses bodies over 3,000 bytes with 413: the one batch
        // the client packs (60 rows, about 5 KB) must be halved until it fits,
        // and every row still arrive exactly once.
        sandbox::SandboxConfig config = trackConfig(1000, 1000ms);
        config.maxBodyBytes = 3000;
        QVERIFY(m_sandbox.start(config));
        imports::CallSourceOptions options;
        options.profile = QStringLiteral("customerio-track");
        options.bytes = customersCsv(60);
        options.filePath = QStringLiteral("batch.csv");
        options.format = imports::InputFormat::Csv;
        options.batching = true;
        run::Dispatcher dispatcher(std::make_unique<imports::CallSource>(options), {trackLane(m_sandbox)},
                                   SteadyClock::instance());
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(summary.rowsDone, 60);
        QCOMPARE(summary.rowsFailed, 0);
        QVERIFY2(summary.requests >= 3, qPrintable(QString::number(summary.requests))); // 1 refused, then halves
        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("acceptedItems")).toInteger(), 60);
        QCOMPARE(stats.value(QStringLiteral("duplicates")).toInteger(), 0);
    }

    void unreadableFileFailsTheRun()
    {
        QVERIFY(m_sandbox.start(trackConfig(100, 1000ms)));
        imports::CallSourceOptions options;
        options.profile = QStringLiteral("customerio-track");
        options.filePath = QStringLiteral("/nonexistent/headroom.csv");
        run::Dispatcher dispatcher(std::make_unique<imports::CallSource>(options), {trackLane(m_sandbox)},
                                   SteadyClock::instance());
        const run::RunSummary summary = runToEnd(dispatcher);
        QCOMPARE(summary.ending, run::RunSummary::Ending::Failed);
        QVERIFY(summary.error.contains(QStringLiteral("headroom.csv")));
        QCOMPARE(summary.requests, 0);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
