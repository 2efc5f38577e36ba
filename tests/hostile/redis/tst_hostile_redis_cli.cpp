// The Redis password stays off the command line and off the network in clear:
// headroom-cli refuses a password inside --shared-budget (every user can read
// /proc/PID/cmdline), and a plan refuses AUTH over plain TCP to another host
// unless the operator says --insecure-redis.
#include "tests/support/CliProcess.h"

#include "core/run/RunPlan.h"
#include "core/run/RunSettings.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

class TestHostileRedisCli : public QObject
{
    Q_OBJECT

    static run::RunSettings settings(const QString &url)
    {
        run::RunSettings s;
        s.profile = QStringLiteral("customerio-track");
        s.file = QStringLiteral("rows.csv");
        s.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/customerio-track"));
        s.rate = 100;
        s.window = 1s;
        s.sharedBudget = url;
        return s;
    }

private slots:
    void cliRefusesAPasswordInTheUrl()
    {
        QTemporaryDir dir;
        QFile rows(dir.filePath(QStringLiteral("rows.csv")));
        QVERIFY(rows.open(QIODevice::WriteOnly));
        rows.write("id,email\n1,a@example.com\n");
        rows.close();
        const auto r = testing::runProcess(
            QStringLiteral(HEADROOM_CLI),
            {QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("generic"), QStringLiteral("--file"),
             rows.fileName(), QStringLiteral("--rate"), QStringLiteral("10"), QStringLiteral("--run-dir"),
             dir.filePath(QStringLiteral("run")), QStringLiteral("--shared-budget"),
             QStringLiteral("redis://:hunter2@127.0.0.1:1/0?key=k")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("HEADROOM_REDIS_PASSWORD"), r.err.constData());
        QVERIFY(!r.err.contains("hunter2"));
    }

    void planRefusesThePasswordInClearToAnotherHost()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HEADROOM_REDIS_PASSWORD"), QStringLiteral("from-env"));
        QString error;
        run::RunSettings s = settings(QStringLiteral("redis://10.0.0.5:6380/1?key=site-1"));
        QVERIFY(!run::RunPlan::build(s, env, std::nullopt, &error));
        QVERIFY2(error.contains(QStringLiteral("rediss://")) && error.contains(QStringLiteral("--insecure-redis")),
                 qPrintable(error));
        QVERIFY(!error.contains(QStringLiteral("from-env")));

        // Said by the operator, kept in run.json for a resume.
        s.insecureRedis = true;
        const auto back = run::RunSettings::fromJson(s.toJson(), &error);
        QVERIFY(back && back->insecureRedis);
        auto plan = run::RunPlan::build(*back, env, std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
        QVERIFY(plan->lanes.at(0).sharedBudget->allowPasswordInClear);

        // TLS, loopback, or no password at all: nothing to refuse.
        for (const char *fine : {"rediss://10.0.0.5:6380/1?key=k", "redis://127.0.0.1:6380/1?key=k"}) {
            plan = run::RunPlan::build(settings(QString::fromLatin1(fine)), env, std::nullopt, &error);
            QVERIFY2(plan, qPrintable(error));
        }
        plan = run::RunPlan::build(settings(QStringLiteral("redis://10.0.0.5:6380/1?key=k")), QProcessEnvironment(),
                                   std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestHostileRedisCli)
#include "tst_hostile_redis_cli.moc"
