// Hostile response bodies (issue 18, items 4 and 5): the engine against a
// server that streams a 200 without end, and one that announces 100 bytes,
// sends 4 and closes. Bounds in bytes and requests, never in seconds.
#include "tests/support/CallSources.h"
#include "tests/hostile/peers/HostilePeer.h"
#include "tests/support/TestFiles.h"
#include "core/apis/ApiProfile.h"
#include "core/clock/SteadyClock.h"
#include "core/http/Credentials.h"
#include "core/run/Dispatcher.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace headroom;
using testing::HostilePeer;

namespace {

// Every attempt's record, as the run log gets it, and the dead letters.
struct Attempts : run::RunObserver
{
    QList<run::AttemptRecord> records;
    QList<run::FailedRows> failed;
    void attemptFinished(const run::AttemptRecord &record) override
    {
        if (record.decision != QLatin1String("notice"))
            records << record;
    }
    void rowsFailed(const run::FailedRows &rows) override { failed << rows; }
};

run::LaneConfig laneFor(const HostilePeer &peer, int maxAttempts)
{
    const apis::ApiProfile *profile = apis::ApiProfile::find(QStringLiteral("customerio-track"));
    run::LaneConfig lane;
    lane.name = QStringLiteral("hostile");
    lane.baseUrl = peer.baseUrl();
    lane.credentials = http::Credentials::sandboxDefaults(*profile);
    lane.concurrency = 4;
    lane.randomSeed = 7;
    lane.retry.maxAttempts = maxAttempts;
    lane.retry.baseDelay = std::chrono::milliseconds(1);
    lane.retry.maxDelay = std::chrono::milliseconds(5);
    // Far beyond what the bounded cases need: today's engine reads until this.
    lane.transferTimeout = std::chrono::seconds(60);
    return lane;
}

run::RunSummary runToEnd(run::Dispatcher &dispatcher)
{
    QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
    dispatcher.start();
    if (finished.isEmpty())
        [&] { QVERIFY(finished.wait(120000)); }();
    return dispatcher.summary();
}

// The process's resident set, and its peak since resetPeakRss(), in bytes.
qint64 statusBytes(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

bool resetPeakRss()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    return clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
}

} // namespace

class TestHostileBodies : public QObject
{
    Q_OBJECT

private slots:
    // Each attempt is cut at 1 MiB as a transport error: retried, counted,
    // said in the run log, and the connection closed by the client long
    // before the server's own safety stop.
    void endlessBodyIsCutAtTheCap()
    {
        testing::HostilePeerThread server(HostilePeer::Mode::EndlessBody);
        QVERIFY(server.start());
        HostilePeer &peer = server.peer();
        run::Dispatcher dispatcher(testing::csvSource(testing::customersCsv("e", 1, "pro")), {laneFor(peer, 2)},
                                   SteadyClock::instance());
        QVERIFY(resetPeakRss());
        const qint64 rssBefore = statusBytes("VmRSS:");
        Attempts log;
        dispatcher.addObserver(&log);
        const run::RunSummary summary = runToEnd(dispatcher);

        QCOMPARE(summary.rowsDone, 0);
        QCOMPARE(summary.rowsFailed, 1); // its two attempts spent on cut bodies
        QCOMPARE(summary.transportErrors, 2);
        QCOMPARE(log.records.size(), 2);
        for (const run::AttemptRecord &r : std::as_const(log.records)) {
            QCOMPARE(r.status, 0);
            QVERIFY2(r.error.contains(QStringLiteral("response body over 1048576 bytes")), qPrintable(r.error));
        }
        QCOMPARE(log.records.first().decision, QStringLiteral("retry"));
        QTRY_COMPARE_WITH_TIMEOUT(peer.closedByClient(), 2, 10000);
        QCOMPARE(peer.requests(), 2);
        // The engine cuts each attempt the moment it holds more than the cap.
        // What the server writes after that is read and dropped by QNAM's
        // own thread, which a peer on loopback writing faster than it reads
        // keeps busy until the peer stops (its 2 GiB safety stop here; the
        // engine cannot reach that thread). The bound that matters is memory:
        // the process must not hold what passes through. The slack covers
        // ASan's quarantine of freed blocks (256 MiB by default).
        const qint64 peakGrowth = statusBytes("VmHWM:") - rssBefore;
        qInfo("most body bytes the server wrote on one connection: %lld; peak RSS growth: %lld",
              peer.mostBodyBytesWritten(), peakGrowth);
        QVERIFY2(peakGrowth < 640LL << 20, qPrintable(QString::number(peakGrowth)));
    }

    // A 200 whose body stops short of its Content-Length is not done: the
    // server may not have acted on it (or a batch's per-row answers are
    // lost). Every attempt is a transport error until the row runs out.
    void shortBodyIsNotDone()
    {
        HostilePeer peer(HostilePeer::Mode::ShortBody);
        QVERIFY(peer.start());
        run::Dispatcher dispatcher(testing::csvSource(testing::customersCsv("s", 1, "pro")), {laneFor(peer, 3)},
                                   SteadyClock::instance());
        Attempts log;
        dispatcher.addObserver(&log);
        const run::RunSummary summary = runToEnd(dispatcher);

        QCOMPARE(summary.rowsDone, 0);
        QCOMPARE(summary.rowsFailed, 1);
        QCOMPARE(peer.requests(), 3);
        QCOMPARE(log.records.size(), 3);
        QCOMPARE(log.records.first().decision, QStringLiteral("retry"));
        QCOMPARE(log.records.last().decision, QStringLiteral("dead-letter"));
        for (const run::AttemptRecord &r : std::as_const(log.records)) {
            QCOMPARE(r.status, 0);
            QVERIFY2(r.error.contains(QStringLiteral("HTTP 200 whose body was cut off")), qPrintable(r.error));
        }
        // What a row keeps of its last answer is the bytes read, not the room
        // for the largest answer allowed (a row waiting for a retry holds it).
        QCOMPARE(log.failed.size(), 1);
        QVERIFY2(log.failed.first().lastBody.capacity() < 64 * 1024,
                 qPrintable(QString::number(log.failed.first().lastBody.capacity())));
    }

    // A batch answered by a cut-off 200: its per-row results are lost with
    // the body, so no row of it may count as done.
    void shortBodyOfABatchDoesNotSettleItsRows()
    {
        HostilePeer peer(HostilePeer::Mode::ShortBody);
        QVERIFY(peer.start());
        imports::CallSourceOptions options;
        options.profile = QStringLiteral("customerio-track");
        options.bytes = testing::customersCsv("b", 10, "pro");
        options.filePath = QStringLiteral("batch.csv");
        options.format = imports::InputFormat::Csv;
        options.batching = true;
        run::Dispatcher dispatcher(std::make_unique<imports::CallSource>(options), {laneFor(peer, 2)},
                                   SteadyClock::instance());
        Attempts log;
        dispatcher.addObserver(&log);
        const run::RunSummary summary = runToEnd(dispatcher);

        QCOMPARE(summary.rowsDone, 0);
        QCOMPARE(summary.rowsFailed, 10);
        QCOMPARE(peer.requests(), 2);
        QCOMPARE(log.records.size(), 2);
        QCOMPARE(log.records.first().rowCount, 10);
        QCOMPARE(log.records.first().decision, QStringLiteral("retry"));
        QVERIFY2(log.records.last().error.contains(QStringLiteral("cut off")), qPrintable(log.records.last().error));
    }
};

QTEST_GUILESS_MAIN(TestHostileBodies)
#include "tst_hostile_bodies.moc"
