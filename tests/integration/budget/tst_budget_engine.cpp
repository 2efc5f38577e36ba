// Three engines (Dispatcher + Lane, as the CLI and the console run them) in one
// process draw from one shared budget in a redis-server of the test's own and
// import into one sandbox workspace: together they stay within its limit.
#include "tests/support/CallSources.h"
#include "tests/support/RedisTestServer.h"
#include "tests/support/SandboxStats.h"

#include "core/apis/ApiProfile.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/clock/SteadyClock.h"
#include "core/http/Credentials.h"
#include "core/imports/Mapping.h"
#include "core/run/Dispatcher.h"
#include "core/sandbox/SandboxThread.h"
#include "core/scopes/ProfileScopes.h"

#include <QJsonObject>
#include <QSignalSpy>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<imports::CallSource> sourceFor(int first, int rows)
{
    QByteArray csv = "id,email\n";
    for (int i = first; i < first + rows; ++i)
        csv += "e" + QByteArray::number(i) + ",e" + QByteArray::number(i) + "@example.com\n";
    return testing::csvSource(csv);
}

// `rows` broadcast triggers of one campaign, as a customerio-app request file.
std::unique_ptr<imports::CallSource> triggerSource(int campaign, int first, int rows)
{
    imports::CallSourceOptions options;
    options.profile = QStringLiteral("customerio-app");
    for (int i = first; i < first + rows; ++i) {
        options.bytes += QStringLiteral(R"({"method":"POST","path":"/v1/campaigns/%1/triggers","body":{"ids":["%2"]}})")
                             .arg(campaign)
                             .arg(i)
                             .toUtf8()
                         + '\n';
    }
    options.filePath = QStringLiteral("triggers.jsonl");
    options.format = imports::InputFormat::JsonLines;
    QString error;
    options.mapping = imports::Mapping::fromJson(R"({"operation":"request"})", &error);
    return std::make_unique<imports::CallSource>(options);
}

using testing::scopePeak;

} // namespace

class TestBudgetEngine : public QObject
{
    Q_OBJECT

    RedisTestServer m_redis;
    sandbox::SandboxThread m_sandbox;

    run::LaneConfig lane(const QString &key)
    {
        const apis::ApiProfile *profile = apis::ApiProfile::find(QStringLiteral("customerio-track"));
        run::LaneConfig lane;
        lane.name = QStringLiteral("track");
        lane.baseUrl = m_sandbox.baseUrl(QStringLiteral("customerio-track"));
        lane.credentials = http::Credentials::sandboxDefaults(*profile);
        lane.concurrency = 16;
        lane.limit = 50;
        lane.window = 500ms;
        lane.slidingMargin = 25ms;
        budget::SharedBudgetConfig shared;
        QString error;
        shared.url = *budget::RedisUrl::parse(m_redis.url(key), &error);
        shared.limit = 50;
        shared.period = 500ms;
        // Three engines, the sandbox and ASan share two cores in this process:
        // timers fire late, so allow for it (the benchmark measures the default).
        shared.jitter = 25ms;
        shared.probeInterval = 200ms;
        lane.sharedBudget = shared;
        return lane;
    }

private slots:
    void initTestCase()
    {
        if (RedisTestServer::executable().isEmpty())
            QSKIP("redis-server is not installed (Debian: apt-get install redis-server; scripts/test.sh installs it)");
        QVERIFY(m_redis.start());
        sandbox::SandboxConfig config;
        sandbox::ApiPolicy policy = config.policy(QStringLiteral("customerio-track"));
        policy.limit = 50;
        policy.window = 500ms;
        config.apis.insert(QStringLiteral("customerio-track"), policy);
        // A campaign's 1 trigger per 10 s, shortened to 1 s on both sides.
        config.apis[QStringLiteral("customerio-app")].limit = 1;
        config.apis[QStringLiteral("customerio-app")].window = 1s;
        QVERIFY(m_sandbox.start(config));
    }

    void threeEnginesShareOneLimit()
    {
        m_sandbox.reset();
        std::vector<std::unique_ptr<run::Dispatcher>> engines;
        for (int i = 0; i < 3; ++i) {
            engines.push_back(std::make_unique<run::Dispatcher>(sourceFor(i * 1000, 150),
                                                                QList<run::LaneConfig>{lane(QStringLiteral("engine"))},
                                                                SteadyClock::instance()));
        }
        std::vector<std::unique_ptr<QSignalSpy>> finished;
        for (auto &e : engines) {
            finished.push_back(std::make_unique<QSignalSpy>(e.get(), &run::Dispatcher::finished));
            e->start();
        }
        // QSignalSpy::wait runs a real event loop (QTRY_* sleeps 10 ms between
        // passes, which would stretch every Redis round trip to 10 ms).
        for (auto &f : finished) {
            if (f->isEmpty())
                QVERIFY(f->wait(60000));
        }
        qint64 requests = 0, throttled = 0, done = 0;
        for (auto &e : engines) {
            QCOMPARE(e->summary().ending, run::RunSummary::Ending::Completed);
            requests += e->summary().requests;
            throttled += e->summary().responses429;
            done += e->summary().rowsDone;
            QCOMPARE(e->lane(0).sharedBudget()->mode(), budget::SharedBudgetLimiter::Mode::Shared);
        }
        QCOMPARE(done, 450);
        QVERIFY2(throttled * 100 <= requests, qPrintable(QStringLiteral("%1 of %2").arg(throttled).arg(requests)));
        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("distinctIdentities")).toInteger(), 450);
        QVERIFY2(scopePeak(stats) <= 50, qPrintable(QString::number(scopePeak(stats))));
    }

    void twoEnginesShareACampaignsBudget()
    {
        // Each engine alone would send its campaign's triggers at the
        // campaign's limit; through one Redis key per scope key they send
        // them at that limit together.
        m_sandbox.reset();
        const QString app = QStringLiteral("customerio-app");
        scopes::ScopeSet scopeSet = scopes::ProfileScopes::forProfile(app);
        scopes::ScopeSpec broadcasts = *scopeSet.find(QStringLiteral("broadcasts"));
        broadcasts.setWindows({{1, 1s}});
        scopeSet.insert(broadcasts);
        std::vector<std::unique_ptr<run::Dispatcher>> engines;
        for (int i = 0; i < 2; ++i) {
            run::LaneConfig config = lane(QStringLiteral("workspace-app"));
            config.name = app;
            config.baseUrl = m_sandbox.baseUrl(app);
            config.credentials = http::Credentials::sandboxDefaults(*apis::ApiProfile::find(app));
            config.limit = 10;
            config.window = 1s;
            config.sharedBudget->limit = 10;
            config.sharedBudget->period = 1s;
            // A lane opens mid-run and its first answer from Redis may come
            // late on two loaded cores; alone (the fallback) each engine
            // would send at the campaign's full limit.
            config.sharedBudget->answerTimeout = 1s;
            config.scopes = scopeSet;
            engines.push_back(std::make_unique<run::Dispatcher>(triggerSource(5, i * 100, 3), QList<run::LaneConfig>{config},
                                                                SteadyClock::instance()));
        }
        std::vector<std::unique_ptr<QSignalSpy>> finished;
        for (auto &e : engines) {
            finished.push_back(std::make_unique<QSignalSpy>(e.get(), &run::Dispatcher::finished));
            e->start();
        }
        for (auto &f : finished) {
            if (f->isEmpty())
                QVERIFY(f->wait(60000));
        }
        for (auto &e : engines) {
            QCOMPARE(e->summary().ending, run::RunSummary::Ending::Completed);
            QCOMPARE(e->summary().rowsDone, qint64(3));
            QCOMPARE(e->summary().responses429, qint64(0));
            bool sawCampaignLane = false;
            for (int i = 0; i < e->laneCount(); ++i) {
                if (!e->lane(i).config().name.endsWith(QLatin1String(" broadcasts:campaign=5")))
                    continue;
                sawCampaignLane = true;
                QCOMPARE(e->lane(i).config().sharedBudget->url.key, QStringLiteral("workspace-app:broadcasts:campaign=5"));
                QCOMPARE(e->lane(i).sharedBudget()->mode(), budget::SharedBudgetLimiter::Mode::Shared);
            }
            QVERIFY(sawCampaignLane);
        }
        const QJsonObject scope = m_sandbox.stats()
                                      .value(QStringLiteral("scopes"))
                                      .toObject()
                                      .value(QStringLiteral("customerio-app/sandbox-token/campaign/5"))
                                      .toObject();
        QCOMPARE(scope.value(QStringLiteral("accepted")).toInteger(), 6);
        QCOMPARE(scope.value(QStringLiteral("rejected")).toInteger(), 0);
        QCOMPARE(scope.value(QStringLiteral("maxInWindow")).toInteger(), 1);
    }
};

QTEST_GUILESS_MAIN(TestBudgetEngine)
#include "tst_budget_engine.moc"
