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
#include "core/run/Dispatcher.h"
#include "core/sandbox/SandboxThread.h"

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
};

QTEST_GUILESS_MAIN(TestBudgetEngine)
#include "tst_budget_engine.moc"
