// A restart is not a fresh start: a lane restored from lanes.json paces as if
// the run had never stopped (virtual time, FakeClock).
#include "core/clock/FakeClock.h"
#include "core/run/Lane.h"
#include "core/run/LaneStateStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::run;
using namespace std::chrono_literals;

namespace {

LaneConfig tenPerSecond()
{
    LaneConfig config;
    config.name = QStringLiteral("track");
    config.limit = 10;
    config.window = 1s;
    config.concurrency = 100;
    config.followHeaders = false;
    return config;
}

void spendWindow(Lane &lane, TimePoint now)
{
    for (int i = 0; i < 10; ++i) {
        Job job;
        job.call.rows = {i + 1};
        lane.onSend(now, job);
        lane.onWire(now, now);
        lane.onAbandoned(now);
    }
}

} // namespace

class TestLaneState : public QObject
{
    Q_OBJECT

private slots:
    void restoredLaneWaitsOutTheWindowTheServerStillCounts()
    {
        FakeClock clock;
        Lane before(tenPerSecond(), clock.now());
        spendWindow(before, clock.now());
        QVERIFY(before.nextSendAt(clock.now()) > clock.now());
        const QJsonObject state = before.saveState(clock.now(), clock.wallNow());

        clock.advance(300ms); // the process restarts 300 ms later
        Lane fresh(tenPerSecond(), clock.now());
        QCOMPARE(fresh.nextSendAt(clock.now()), clock.now()); // would burst into a full window
        Lane restored(tenPerSecond(), clock.now());
        restored.restoreState(state, clock.now(), clock.wallNow());
        const TimePoint at = restored.nextSendAt(clock.now());
        QVERIFY(at > clock.now());
        QVERIFY(at <= clock.now() + 700ms + 50ms); // when the first saved send leaves the window
    }

    void aScopeLaneMadeDuringTheResumeGetsItsState()
    {
        // A scope key's lane is made when its first call is read, after the
        // run started: it is restored then, by its name.
        QTemporaryDir dir;
        FakeClock clock;
        const QString path = dir.filePath(QStringLiteral("lanes.json"));
        LaneConfig campaign = tenPerSecond();
        campaign.name = QStringLiteral("customerio-app broadcasts:campaign=42");
        Lane main(tenPerSecond(), clock.now());
        Lane before(campaign, clock.now());
        {
            LaneStateStore store(path, clock);
            store.lanesStarted({&main}, clock.now());
            store.laneAdded(&before, clock.now());
            spendWindow(before, clock.now());
            store.lanesFinished({&main, &before}, clock.now());
        }
        clock.advance(100ms);
        LaneStateStore store(path, clock);
        QString error;
        QVERIFY(store.load(&error));
        QCOMPARE(store.loadedLanes(), 2);
        Lane resumedMain(tenPerSecond(), clock.now());
        store.lanesStarted({&resumedMain}, clock.now());
        QCOMPARE(resumedMain.nextSendAt(clock.now()), clock.now()); // main spent nothing
        Lane resumed(campaign, clock.now());
        store.laneAdded(&resumed, clock.now());
        QVERIFY(resumed.nextSendAt(clock.now()) > clock.now() + 800ms);
    }

    void storeRoundTripsThroughTheFile()
    {
        QTemporaryDir dir;
        FakeClock clock;
        const QString path = dir.filePath(QStringLiteral("lanes.json"));
        Lane lane(tenPerSecond(), clock.now());
        {
            LaneStateStore store(path, clock);
            store.lanesStarted({&lane}, clock.now());
            spendWindow(lane, clock.now());
            store.lanesFinished({&lane}, clock.now());
        }
        clock.advance(100ms);
        LaneStateStore store(path, clock);
        QString error;
        QVERIFY(store.load(&error));
        QCOMPARE(store.loadedLanes(), 1);
        Lane resumed(tenPerSecond(), clock.now());
        store.lanesStarted({&resumed}, clock.now());
        QVERIFY(resumed.nextSendAt(clock.now()) > clock.now());
    }

    void damagedFileRestoresNothing()
    {
        QTemporaryDir dir;
        FakeClock clock;
        const QString path = dir.filePath(QStringLiteral("lanes.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"lanes\":[{\"lane\":\"track\",\"window\":");
        f.close();
        LaneStateStore store(path, clock);
        QString error;
        QVERIFY(store.load(&error));
        Lane lane(tenPerSecond(), clock.now());
        store.lanesStarted({&lane}, clock.now());
        QCOMPARE(lane.nextSendAt(clock.now()), clock.now());
    }
};

QTEST_GUILESS_MAIN(TestLaneState)
#include "tst_lanestate.moc"
