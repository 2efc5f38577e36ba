// The engine's lanes as the API's rate scopes, against the real sandbox on
// 127.0.0.1: one request file mixing Customer.io App broadcast triggers for
// two campaigns with transactional sends runs each scope at its own pace.
#include "tests/support/SandboxStats.h"
#include "core/apis/ApiProfile.h"
#include "core/clock/SteadyClock.h"
#include "core/http/Credentials.h"
#include "core/imports/CallSource.h"
#include "core/imports/Mapping.h"
#include "core/run/Dispatcher.h"
#include "core/sandbox/SandboxThread.h"
#include "core/scopes/ProfileScopes.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

const QString kApp = QStringLiteral("customerio-app");

// Every send (lane, when) and every answer (lane, status), as the run log sees them.
struct ScopeLog : run::RunObserver
{
    const run::Dispatcher *dispatcher = nullptr;
    QList<QPair<QString, TimePoint>> sends;
    QList<run::AttemptRecord> attempts;

    void callSent(const run::Job &job) override
    {
        sends.append({const_cast<run::Dispatcher *>(dispatcher)->lane(job.lane).config().name, job.lastSentAt});
    }
    void attemptFinished(const run::AttemptRecord &record) override { attempts << record; }

    QList<TimePoint> sendsOf(const QString &lane) const
    {
        QList<TimePoint> out;
        for (const auto &s : sends) {
            if (s.first == lane)
                out << s.second;
        }
        return out;
    }
    int count(const QString &lane, int status) const
    {
        return int(std::count_if(attempts.begin(), attempts.end(), [&](const run::AttemptRecord &r) {
            return r.lane == lane && r.status == status;
        }));
    }
    int notices(const QString &lane, QLatin1String operation) const
    {
        return int(std::count_if(attempts.begin(), attempts.end(), [&](const run::AttemptRecord &r) {
            return r.lane == lane && r.decision == QLatin1String("notice") && r.operation == operation;
        }));
    }
};

QByteArray trigger(int campaign, int row)
{
    return QStringLiteral(R"({"method":"POST","path":"/v1/campaigns/%1/triggers","body":{"ids":["%2"]}})")
               .arg(campaign)
               .arg(row)
               .toUtf8()
           + '\n';
}

QByteArray transactional(int row)
{
    return QStringLiteral(R"({"method":"POST","path":"/v1/send/email","body":{"transactional_message_id":1,"identifiers":{"id":"%1"}}})")
               .arg(row)
               .toUtf8()
           + '\n';
}

std::unique_ptr<imports::CallSource> requestSource(const QByteArray &jsonl, const QString &profile = kApp)
{
    imports::CallSourceOptions options;
    options.profile = profile;
    options.bytes = jsonl;
    options.filePath = QStringLiteral("mixed.jsonl");
    options.format = imports::InputFormat::JsonLines;
    QString error;
    if (profile == kApp)
        options.mapping = imports::Mapping::fromJson(R"({"operation":"request"})", &error);
    return std::make_unique<imports::CallSource>(options);
}

} // namespace

class TestScopeRouting : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;

    run::LaneConfig appLane(const scopes::ScopeSet &scopeSet)
    {
        const apis::ApiProfile *profile = apis::ApiProfile::find(kApp);
        run::LaneConfig lane;
        lane.name = kApp;
        lane.baseUrl = m_sandbox.baseUrl(kApp);
        lane.credentials = http::Credentials::sandboxDefaults(*profile);
        lane.limit = 10;
        lane.window = 1s;
        lane.concurrency = 16;
        lane.randomSeed = 7;
        // The sandbox shares this process and two cores with the test runner.
        lane.slidingMargin = 25ms;
        lane.scopes = scopeSet;
        return lane;
    }

private slots:
    void cleanupTestCase() { m_sandbox.stop(); }

    void eachScopeRunsAtItsOwnPace()
    {
        // The server: 1 trigger per 1 s per campaign (the documented 1 per
        // 10 s, shortened), transactional sends 20 per 200 ms.
        sandbox::SandboxConfig config;
        config.apis[kApp].limit = 1;
        config.apis[kApp].window = 1s;
        config.apis[QStringLiteral("customerio-track")].limit = 20;
        config.apis[QStringLiteral("customerio-track")].window = 200ms;
        QVERIFY(m_sandbox.start(config));

        // The client believes 2 per 1 s per campaign: each campaign's lane
        // meets a 429, whose body teaches it the real limit.
        scopes::ScopeSet scopeSet = scopes::ProfileScopes::forProfile(kApp);
        scopes::ScopeSpec broadcasts = *scopeSet.find(QStringLiteral("broadcasts"));
        broadcasts.setWindows({{2, 1s}});
        scopeSet.insert(broadcasts);
        scopes::ScopeSpec sends = *scopeSet.find(QStringLiteral("transactional"));
        sends.setWindows({{20, 200ms}});
        scopeSet.insert(sends);

        // Triggers first: a reader that waited for them would hold every send back.
        QByteArray file;
        int row = 0;
        for (int i = 0; i < 4; ++i) {
            file += trigger(1, ++row);
            file += trigger(2, ++row);
        }
        for (int i = 0; i < 40; ++i)
            file += transactional(++row);

        run::Dispatcher dispatcher(requestSource(file), {appLane(scopeSet)}, SteadyClock::instance());
        ScopeLog log;
        log.dispatcher = &dispatcher;
        dispatcher.addObserver(&log);
        QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
        dispatcher.start();
        QVERIFY(finished.wait(60000));
        const run::RunSummary summary = dispatcher.summary();

        // No row lost.
        QCOMPARE(summary.rowsTotal, qint64(row));
        QCOMPARE(summary.rowsDone, qint64(row));
        QCOMPARE(summary.rowsFailed, qint64(0));
        QCOMPARE(summary.rowsNotAttempted, qint64(0));

        const QString campaign1 = kApp + QStringLiteral(" broadcasts:campaign=1");
        const QString campaign2 = kApp + QStringLiteral(" broadcasts:campaign=2");
        const QString transactionalLane = kApp + QStringLiteral(" transactional");
        QCOMPARE(log.sendsOf(transactionalLane).size(), 40);

        const auto sinceStart = [&](TimePoint t) {
            return std::chrono::duration_cast<std::chrono::milliseconds>(t - log.sends.first().second).count();
        };
        qInfo("wall %.2f s; transactional: 40 sends in %lld ms, %d 429s; campaign 1: %d 429s, last trigger at %lld ms; "
              "campaign 2: %d 429s, last trigger at %lld ms",
              summary.elapsedS, qint64(sinceStart(log.sendsOf(transactionalLane).last())),
              log.count(transactionalLane, 429), log.count(campaign1, 429),
              qint64(sinceStart(log.sendsOf(campaign1).last())), log.count(campaign2, 429),
              qint64(sinceStart(log.sendsOf(campaign2).last())));

        // Transactional sends were neither throttled nor held behind the campaigns:
        // all of them left before the campaigns' third triggers (two seconds in).
        QCOMPARE(log.count(transactionalLane, 429), 0);
        for (const QString &campaign : {campaign1, campaign2}) {
            const QList<TimePoint> triggers = log.sendsOf(campaign);
            QVERIFY2(triggers.size() >= 4, qPrintable(campaign));
            QVERIFY(log.sendsOf(transactionalLane).last() < triggers.at(2));
            // A campaign's 429 paused and taught only its own lane.
            QCOMPARE(log.count(campaign, 200), 4);
            QVERIFY(log.count(campaign, 429) >= 1);
            QVERIFY2(log.count(campaign, 429) <= 2, qPrintable(QString::number(log.count(campaign, 429))));
            QCOMPARE(log.notices(campaign, QLatin1String("scope-limit")), 1);
        }
        // The server never saw two triggers of one campaign in a window.
        const QJsonObject windows = m_sandbox.stats().value(QStringLiteral("maxInWindow")).toObject();
        for (auto it = windows.begin(); it != windows.end(); ++it) {
            if (it.key().contains(QLatin1String("/campaign/")))
                QVERIFY2(it.value().toInt() <= 1, qPrintable(it.key()));
        }
        QCOMPARE(dispatcher.laneCount(), 4); // main (no calls), transactional, two campaigns
    }

    void lookAheadIsBounded()
    {
        // 400 triggers of one campaign (1 per 10 s, documented) before any
        // other call: the reader reads past them for the lanes with room,
        // but never more than the look-ahead, whatever the file's length.
        sandbox::SandboxConfig config;
        QVERIFY(m_sandbox.start(config));
        QByteArray file;
        int row = 0;
        for (int i = 0; i < 400; ++i)
            file += trigger(9, ++row);
        for (int i = 0; i < 10; ++i)
            file += transactional(++row);
        run::Dispatcher dispatcher(requestSource(file), {appLane(scopes::ProfileScopes::forProfile(kApp))},
                                   SteadyClock::instance());
        dispatcher.setSampleInterval(20ms);
        QSignalSpy progressed(&dispatcher, &run::Dispatcher::progressed);
        QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
        dispatcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(progressed.size() >= 5, 10000);
        dispatcher.cancel();
        QVERIFY(!finished.isEmpty());
        const run::RunSummary summary = dispatcher.summary();
        // One trigger sent; 256 waiting for its lane, and at most one more
        // read to learn whether the file has ended.
        QCOMPARE(summary.requests, qint64(1));
        QVERIFY2(summary.rowsTotal >= run::Dispatcher::kLookAhead + 1
                     && summary.rowsTotal <= run::Dispatcher::kLookAhead + 2,
                 qPrintable(QString::number(summary.rowsTotal)));
        // What was read and not sent is not lost: a resume sends it.
        QCOMPARE(summary.rowsDone + summary.rowsNotAttempted, summary.rowsTotal);
    }

    void segmentEndpointsUnderTheTokensBudget()
    {
        // The documented minute shortened to 1 s: warehouse syncs 2 per
        // "minute", labels 60, under a token budget of 100 per 1 s.
        const QString segment = QStringLiteral("segment-public");
        sandbox::SandboxConfig config;
        config.apis[segment].limit = 100;
        config.apis[segment].window = 1s;
        config.apis[segment].endpointMinuteMs = 1000;
        QVERIFY(m_sandbox.start(config));

        scopes::ScopeSet scopeSet = scopes::ProfileScopes::forProfile(segment);
        scopeSet.setMainWindows({{100, 1s}});
        for (const char *name : {"warehouse-syncs", "labels"}) {
            scopes::ScopeSpec scope = *scopeSet.find(QString::fromLatin1(name));
            scope.setWindows({{scope.windows().first().limit, 1s}});
            scopeSet.insert(scope);
        }
        QByteArray file;
        for (int i = 0; i < 6; ++i)
            file += QByteArrayLiteral(R"({"method":"POST","path":"/warehouses/w1/syncs","body":{}})") + '\n';
        for (int i = 0; i < 30; ++i)
            file += QStringLiteral(R"({"method":"POST","path":"/labels","body":{"key":"k%1"}})").arg(i).toUtf8() + '\n';
        for (int i = 0; i < 10; ++i)
            file += QByteArrayLiteral(R"({"method":"GET","path":"/sources"})") + '\n';

        const apis::ApiProfile *profile = apis::ApiProfile::find(segment);
        run::LaneConfig lane;
        lane.name = segment;
        lane.baseUrl = m_sandbox.baseUrl(segment);
        lane.credentials = http::Credentials::sandboxDefaults(*profile);
        lane.limit = 100;
        lane.window = 1s;
        lane.concurrency = 16;
        lane.randomSeed = 7;
        lane.slidingMargin = 25ms;
        lane.scopes = scopeSet;
        run::Dispatcher dispatcher(requestSource(file, segment), {lane}, SteadyClock::instance());
        ScopeLog log;
        log.dispatcher = &dispatcher;
        dispatcher.addObserver(&log);
        QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
        dispatcher.start();
        QVERIFY(finished.wait(60000));
        const run::RunSummary summary = dispatcher.summary();
        QCOMPARE(summary.rowsDone, qint64(46));
        QCOMPARE(summary.rowsFailed + summary.rowsNotAttempted, qint64(0));

        const QString syncs = segment + QStringLiteral(" warehouse-syncs");
        const QString labels = segment + QStringLiteral(" labels");
        const QList<TimePoint> syncSends = log.sendsOf(syncs);
        QCOMPARE(syncSends.size() - log.count(syncs, 429), 6);
        QCOMPARE(log.sendsOf(labels).size(), 30);
        qInfo("wall %.2f s; 429s: syncs %d, labels %d, token %d; labels done in %lld ms",
              summary.elapsedS, log.count(syncs, 429), log.count(labels, 429), log.count(segment, 429),
              qint64(std::chrono::duration_cast<std::chrono::milliseconds>(log.sendsOf(labels).last()
                                                                           - log.sends.first().second)
                         .count()));
        // At most one 429 per scope; the labels went at their pace while the
        // syncs waited for their windows.
        QVERIFY(log.count(syncs, 429) <= 1);
        QVERIFY(log.count(labels, 429) <= 1);
        QVERIFY(log.count(segment, 429) <= 1);
        QVERIFY(log.sendsOf(labels).last() < syncSends.at(syncSends.size() - 2));
        // Two syncs in any window of a second at most, as the server counts them.
        for (qsizetype i = 2; i < syncSends.size(); ++i)
            QVERIFY(syncSends.at(i) - syncSends.at(i - 2) >= 1s);
        // Every request spent the token's budget too: 46 in 100 per 1 s, one window at most.
        QVERIFY(summary.elapsedS >= 2.0);
    }
};

QTEST_GUILESS_MAIN(TestScopeRouting)
#include "tst_scoperouting.moc"
