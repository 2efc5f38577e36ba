// Issue 10 end to end: three headroom-cli processes with one --shared-budget
// key import 1,000 rows each into one sandbox workspace limited to 100 per 1 s,
// once with Redis up throughout and once with Redis stopped mid-run and started
// again. Progress is watched on the sandbox's counters, never by sleeping.
#include "tests/support/RedisTestServer.h"
#include "tests/support/SandboxStats.h"
#include "tests/support/TestFiles.h"

#include "core/sandbox/SandboxThread.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>
#include <vector>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

constexpr int kProcesses = 3;
constexpr int kRows = 1000;

using testing::readJson;
using testing::scopePeak;

} // namespace

class TestBudgetCli : public QObject
{
    Q_OBJECT

    RedisTestServer m_redis;
    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;

    qint64 accepted() const { return m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(); }

    QString writeRows(int process)
    {
        const QString path = m_dir.filePath(QStringLiteral("p%1.csv").arg(process));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        QByteArray csv = "id,email\n";
        for (int i = 1; i <= kRows; ++i) {
            const QByteArray id = "p" + QByteArray::number(process) + "-" + QByteArray::number(i);
            csv += id + "," + id + "@example.com\n";
        }
        f.write(csv);
        return path;
    }

    struct Run
    {
        std::unique_ptr<QProcess> process;
        QString runDir;
        QString summary;
    };

    std::vector<Run> startThree(const QString &name)
    {
        std::vector<Run> runs;
        for (int p = 0; p < kProcesses; ++p) {
            Run r;
            r.runDir = m_dir.filePath(QStringLiteral("%1-%2").arg(name).arg(p));
            r.summary = m_dir.filePath(QStringLiteral("%1-%2.json").arg(name).arg(p));
            r.process = std::make_unique<QProcess>();
            r.process->setProcessChannelMode(QProcess::ForwardedChannels);
            r.process->start(QStringLiteral(HEADROOM_CLI),
                             {QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                              QStringLiteral("--file"), writeRows(p), QStringLiteral("--base-url"),
                              m_sandbox.baseUrl(QStringLiteral("customerio-track")).toString(), QStringLiteral("--rate"),
                              QStringLiteral("100"), QStringLiteral("--window"), QStringLiteral("1s"),
                              QStringLiteral("--shared-budget"), m_redis.url(name), QStringLiteral("--run-dir"),
                              r.runDir, QStringLiteral("--summary"), r.summary, QStringLiteral("--progress"),
                              QStringLiteral("none")});
            runs.push_back(std::move(r));
        }
        return runs;
    }

    void checkFinished(std::vector<Run> &runs, double max429Share)
    {
        for (Run &r : runs)
            QTRY_VERIFY_WITH_TIMEOUT(r.process->state() == QProcess::NotRunning, 120000);
        qint64 requests = 0, throttled = 0;
        for (Run &r : runs) {
            QCOMPARE(r.process->exitStatus(), QProcess::NormalExit);
            QCOMPARE(r.process->exitCode(), 0);
            const QJsonObject s = readJson(r.summary);
            QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), kRows);
            requests += s.value(QStringLiteral("requests")).toInteger();
            throttled += s.value(QStringLiteral("responses_429")).toInteger();
            const QJsonObject lane = s.value(QStringLiteral("lanes")).toArray().at(0).toObject();
            QCOMPARE(lane.value(QStringLiteral("shared_budget_mode")).toString(), QStringLiteral("shared"));
            // run.json names the budget (no password here to mask).
            const QJsonObject settings = readJson(QDir(r.runDir).filePath(QStringLiteral("run.json")));
            QVERIFY(QJsonDocument(settings).toJson().contains("redis://127.0.0.1"));
        }
        const QJsonObject stats = m_sandbox.stats();
        qInfo("requests %lld, 429s %lld, sandbox peak %lld in a window", requests, throttled, scopePeak(stats));
        QCOMPARE(stats.value(QStringLiteral("distinctIdentities")).toInteger(), kProcesses * kRows);
        QVERIFY2(double(throttled) <= max429Share * double(requests),
                 qPrintable(QStringLiteral("%1 429s of %2 requests").arg(throttled).arg(requests)));
        QVERIFY2(scopePeak(stats) <= 100, qPrintable(QString::number(scopePeak(stats))));
    }

private slots:
    void initTestCase()
    {
        if (RedisTestServer::executable().isEmpty())
            QSKIP("redis-server is not installed (Debian: apt-get install redis-server; scripts/test.sh installs it)");
        QVERIFY(m_dir.isValid());
        QVERIFY(m_redis.start());
        sandbox::SandboxConfig config;
        sandbox::ApiPolicy policy = config.policy(QStringLiteral("customerio-track"));
        policy.limit = 100;
        policy.window = 1s;
        config.apis.insert(QStringLiteral("customerio-track"), policy);
        QVERIFY(m_sandbox.start(config));
    }

    void init()
    {
        if (!m_redis.isRunning())
            QVERIFY(m_redis.start());
        m_sandbox.reset();
    }

    void threeProcessesShareOneWorkspaceLimit()
    {
        auto runs = startThree(QStringLiteral("steady"));
        checkFinished(runs, 0.01);
    }

    void redisStoppedMidRunAndStartedAgain()
    {
        auto runs = startThree(QStringLiteral("outage"));
        QTRY_VERIFY_WITH_TIMEOUT(accepted() >= 600, 60000);
        m_redis.stop();
        const qint64 atStop = accepted();
        // Every process paces locally at its share meanwhile.
        QTRY_VERIFY_WITH_TIMEOUT(accepted() >= atStop + 300, 60000);
        QVERIFY(m_redis.start());
        checkFinished(runs, 0.02);
        // Each process said so in its run log.
        for (Run &r : runs) {
            QFile log(QDir(r.runDir).filePath(QStringLiteral("requests.jsonl")));
            QVERIFY(log.open(QIODevice::ReadOnly));
            const QByteArray text = log.readAll();
            QVERIFY(text.contains("unavailable"));
            QVERIFY(text.contains("is back"));
        }
    }
};

QTEST_GUILESS_MAIN(TestBudgetCli)
#include "tst_budget_cli.moc"
