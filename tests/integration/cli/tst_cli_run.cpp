// headroom-cli run as cron and CI use it: a real process, real files, the
// sandbox on 127.0.0.1, and the exit codes and summary JSON of the contract.
#include "tests/support/CliProcess.h"
#include "tests/support/TestFiles.h"
#include "core/sandbox/SandboxThread.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

class TestCliRun : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    sandbox::SandboxConfig m_config; // 20 per 200 ms on customerio-track
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        return testing::writeFile(m_dir, name, content);
    }

    static QByteArray customers(int rows) { return testing::customersCsv("u", rows); }

    using Result = testing::ProcessResult;

    Result runCli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                  int timeoutMs = 60000)
    {
        return testing::runProcess(QStringLiteral(HEADROOM_CLI), args, isolated(env), timeoutMs);
    }

    // Default run directories go under the test's own temporary XDG data home.
    QProcessEnvironment isolated(QProcessEnvironment env) const
    {
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        return env;
    }

    QString trackUrl() const { return m_sandbox.baseUrl(QStringLiteral("customerio-track")).toString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandbox::ApiPolicy policy = m_config.policy(QStringLiteral("customerio-track"));
        policy.limit = 20;
        policy.window = 200ms;
        m_config.apis.insert(QStringLiteral("customerio-track"), policy);
        QVERIFY(m_sandbox.start(m_config));
    }

    void init()
    {
        m_sandbox.setConfig(m_config);
        m_sandbox.reset();
    }

    void importsEveryRowOnceAtTheLimit()
    {
        const QString file = writeFile(QStringLiteral("ok.csv"), customers(120));
        const QString summaryPath = m_dir.filePath(QStringLiteral("summary.json"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                 QStringLiteral("--file"), file, QStringLiteral("--base-url"), trackUrl(),
                                 QStringLiteral("--rate"), QStringLiteral("20"), QStringLiteral("--window"),
                                 QStringLiteral("200ms"), QStringLiteral("--margin"), QStringLiteral("25ms"),
                                 QStringLiteral("--summary"), summaryPath,
                                 QStringLiteral("--progress"), QStringLiteral("plain")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject s = testing::readJson(summaryPath);
        QVERIFY(!s.isEmpty());
        for (const char *key : {"rows_total", "rows_done", "rows_failed", "requests", "responses_429", "retries",
                                "elapsed_s", "rows_per_s", "requests_per_s"})
            QVERIFY2(s.contains(QLatin1String(key)), key);
        QCOMPARE(s.value(QStringLiteral("rows_total")).toInteger(), 120);
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 120);
        QCOMPARE(s.value(QStringLiteral("rows_failed")).toInteger(), 0);
        QCOMPARE(s.value(QStringLiteral("responses_429")).toInteger(), 0);
        QCOMPARE(s.value(QStringLiteral("requests")).toInteger(), 120);
        QVERIFY(s.value(QStringLiteral("rows_per_s")).toDouble() > 0);
        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("accepted")).toInteger(), 120);
        QCOMPARE(stats.value(QStringLiteral("duplicates")).toInteger(), 0);
        // Plain progress lines (not a terminal) and a final line on stdout.
        QVERIFY(r.out.contains("120 done"));
    }

    void limitsFileRunsEachScopeAtItsPace()
    {
        // The server: 1 trigger per 1 s per campaign, transactional sends
        // 20 per 200 ms (the workspace's); the limits file says the same.
        sandbox::SandboxConfig config = m_config;
        config.apis[QStringLiteral("customerio-app")].limit = 1;
        config.apis[QStringLiteral("customerio-app")].window = 1s;
        m_sandbox.setConfig(config);
        const QString limits = writeFile(QStringLiteral("app-limits.json"), R"({"profile":"customerio-app","scopes":[
            {"name":"broadcasts","windows":[{"limit":1,"per":"1s"}]},
            {"name":"transactional","windows":[{"limit":20,"per":"200ms"}]}]})");
        QByteArray lines;
        for (int i = 0; i < 3; ++i) {
            for (int campaign : {1, 2})
                lines += QStringLiteral(R"({"method":"POST","path":"/v1/campaigns/%1/triggers","body":{"ids":["c%2"]}})")
                             .arg(campaign)
                             .arg(i)
                             .toUtf8()
                         + '\n';
        }
        for (int i = 0; i < 20; ++i)
            lines += QStringLiteral(R"({"method":"POST","path":"/v1/send/email","body":{"transactional_message_id":1,"identifiers":{"id":"t%1"}}})")
                         .arg(i)
                         .toUtf8()
                     + '\n';
        const QString file = writeFile(QStringLiteral("mixed.jsonl"), lines);
        const QString mapping = writeFile(QStringLiteral("request-mapping.json"), R"({"operation":"request"})");
        const QString runDir = m_dir.filePath(QStringLiteral("scoped-run"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-app"),
                                 QStringLiteral("--file"), file, QStringLiteral("--mapping"), mapping,
                                 QStringLiteral("--limits"), limits, QStringLiteral("--margin"), QStringLiteral("25ms"),
                                 QStringLiteral("--base-url"), m_sandbox.baseUrl(QStringLiteral("customerio-app")).toString(),
                                 QStringLiteral("--run-dir"), runDir, QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject s = testing::readJson(runDir + QStringLiteral("/summary.json"));
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 26);
        // At the documented limits, no scope meets a 429.
        QCOMPARE(s.value(QStringLiteral("responses_429")).toInteger(), 0);
        QCOMPARE(s.value(QStringLiteral("requests")).toInteger(), 26);
        // Each campaign's three triggers, one per second: about 2 s, not 6.
        QVERIFY2(s.value(QStringLiteral("elapsed_s")).toDouble() < 4.0, qPrintable(QString::number(s.value(QStringLiteral("elapsed_s")).toDouble())));
        // The run log names each attempt's scope and key after the
        // workspace's lane name ("customerio-app <token fingerprint>").
        QFile log(runDir + QStringLiteral("/requests.jsonl"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray logText = log.readAll();
        QCOMPARE(logText.count(" broadcasts:campaign=1\","), 3);
        QCOMPARE(logText.count(" broadcasts:campaign=2\","), 3);
        QCOMPARE(logText.count(" transactional\","), 20);
        // The run remembers its limits file for a resume.
        QCOMPARE(testing::readJson(runDir + QStringLiteral("/run.json")).value(QStringLiteral("settings")).toObject().value(QStringLiteral("limits")).toString(), QFileInfo(limits).absoluteFilePath());
    }

    void aBadLimitsFileIsRefusedWithItsPosition()
    {
        const QString limits = writeFile(QStringLiteral("bad-limits.json"), "{\"scopes\": [\n  {\"name\": x}]}");
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                 QStringLiteral("--file"), writeFile(QStringLiteral("one.csv"), customers(1)),
                                 QStringLiteral("--limits"), limits, QStringLiteral("--base-url"), trackUrl()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains((limits + QStringLiteral(":2:12: is not JSON")).toUtf8()), r.err.constData());
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(), 0);
    }

    void deadLettersExitThree()
    {
        QByteArray csv = customers(10);
        csv += "big," + QByteArray(1200, 'x') + ",pro\n"; // value over Customer.io's 1000 bytes
        const QString file = writeFile(QStringLiteral("bad.csv"), csv);
        const QString summaryPath = m_dir.filePath(QStringLiteral("bad.json"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                 QStringLiteral("--file"), file, QStringLiteral("--base-url"), trackUrl(),
                                 QStringLiteral("--rate"), QStringLiteral("20"), QStringLiteral("--window"),
                                 QStringLiteral("200ms"), QStringLiteral("--summary"), summaryPath,
                                 QStringLiteral("--progress"), QStringLiteral("none")});
        QCOMPARE(r.exitCode, 3);
        const QJsonObject s = testing::readJson(summaryPath);
        QVERIFY(!s.isEmpty());
        QCOMPARE(s.value(QStringLiteral("rows_total")).toInteger(), 11);
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 10);
        QCOMPARE(s.value(QStringLiteral("rows_failed")).toInteger(), 1);
        // Rejected before sending: the sandbox never saw it.
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(), 10);
    }

    void badUsageExitsTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString url = QStringLiteral("http://127.0.0.1:1/customerio-track");
        QTest::newRow("no file") << QStringList{"run", "--profile", "customerio-track"} << "--file";
        QTest::newRow("missing file") << QStringList{"run", "--profile", "customerio-track", "--file", "/nope.csv", "--base-url", url}
                                      << "no such file";
        QTest::newRow("unknown profile") << QStringList{"run", "--profile", "mailchimp", "--file", "@FILE@", "--base-url", url}
                                         << "unknown profile";
        QTest::newRow("bad rate") << QStringList{"run", "--profile", "customerio-track", "--file", "@FILE@", "--rate", "fast"}
                                  << "--rate";
        QTest::newRow("bad window") << QStringList{"run", "--profile", "customerio-track", "--file", "@FILE@", "--window", "soon"}
                                    << "--window";
        QTest::newRow("secret on argv is no option") << QStringList{"run", "--profile", "customerio-track", "--file", "@FILE@", "--api-key", "k"}
                                                     << "api-key";
        QTest::newRow("plain http off loopback") << QStringList{"run", "--profile", "customerio-track", "--file", "@FILE@", "--base-url", "http://example.com"}
                                                 << "plain http";
        QTest::newRow("no command") << QStringList{} << "no command";
    }

    void badUsageExitsTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QString file = writeFile(QStringLiteral("u.csv"), customers(1));
        args.replaceInStrings(QStringLiteral("@FILE@"), file);
        const Result r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void missingCredentialsNameTheVariable()
    {
        const QString file = writeFile(QStringLiteral("c.csv"), customers(1));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("HEADROOM_SITE_ID"));
        env.remove(QStringLiteral("HEADROOM_API_KEY"));
        // A real (non-loopback) target: nothing may be sent without credentials.
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                 QStringLiteral("--file"), file},
                                env);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("HEADROOM_SITE_ID"));
    }

    // A server that throttles forever: every answer a 429 whose Retry-After
    // is an hour away. Throttling spends no attempts, so only the give-up
    // bound ends the run; nothing is dead-lettered and a resume finishes it.
    void throttledForeverGivesUpAndResumeFinishes()
    {
        sandbox::SandboxConfig throttling = m_config;
        sandbox::ApiPolicy policy = throttling.policy(QStringLiteral("customerio-track"));
        policy.limit = 1;
        policy.window = 1h;
        throttling.apis.insert(QStringLiteral("customerio-track"), policy);
        m_sandbox.setConfig(throttling);
        m_sandbox.reset();
        // Spend the hour's one request, so the run below never gets one through.
        const QString one = writeFile(QStringLiteral("one.csv"), testing::customersCsv("spent", 1));
        const Result spent = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                     QStringLiteral("--file"), one, QStringLiteral("--base-url"), trackUrl(),
                                     QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(spent.exitCode == 0, spent.err.constData());

        const QString file = writeFile(QStringLiteral("throttled.csv"), customers(30));
        const QString runDir = m_dir.filePath(QStringLiteral("throttled-run"));
        const QString summaryPath = m_dir.filePath(QStringLiteral("throttled.json"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                 QStringLiteral("--file"), file, QStringLiteral("--base-url"), trackUrl(),
                                 QStringLiteral("--rate"), QStringLiteral("20"), QStringLiteral("--window"),
                                 QStringLiteral("200ms"), QStringLiteral("--give-up-after"), QStringLiteral("2s"),
                                 QStringLiteral("--run-dir"), runDir, QStringLiteral("--summary"), summaryPath,
                                 QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(r.exitCode == 4, r.err.constData());
        QVERIFY2(r.err.contains("resume with headroom-cli resume --run-dir"), r.err.constData());
        const QJsonObject s = testing::readJson(summaryPath);
        QCOMPARE(s.value(QStringLiteral("ending")).toString(), QStringLiteral("gave-up"));
        QCOMPARE(s.value(QStringLiteral("stopped")).toString(), QStringLiteral("no progress for 2s"));
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 0);
        QCOMPARE(s.value(QStringLiteral("rows_failed")).toInteger(), 0);
        QVERIFY(s.value(QStringLiteral("responses_429")).toInteger() > 0);
        QCOMPARE(testing::readJson(runDir + QStringLiteral("/summary.json")), s);
        QFile deadLetters(runDir + QStringLiteral("/dead-letters.jsonl"));
        QVERIFY(!deadLetters.exists() || deadLetters.size() == 0);
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(), 1); // the spent one only
        // The bound travels with the run.
        QCOMPARE(testing::readJson(runDir + QStringLiteral("/run.json"))
                     .value(QStringLiteral("settings"))
                     .toObject()
                     .value(QStringLiteral("give_up_after"))
                     .toString(),
                 QStringLiteral("2s"));

        m_sandbox.setConfig(m_config);
        m_sandbox.reset();
        const QString resumedPath = m_dir.filePath(QStringLiteral("resumed.json"));
        const Result resumed = runCli({QStringLiteral("resume"), QStringLiteral("--run-dir"), runDir,
                                       QStringLiteral("--base-url"), trackUrl(), QStringLiteral("--summary"), resumedPath,
                                       QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QJsonObject after = testing::readJson(resumedPath);
        QCOMPARE(after.value(QStringLiteral("ending")).toString(), QStringLiteral("completed"));
        QCOMPARE(after.value(QStringLiteral("rows_done")).toInteger(), 30);
        QCOMPARE(after.value(QStringLiteral("rows_failed")).toInteger(), 0);
        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("accepted")).toInteger(), 30);
        QCOMPARE(stats.value(QStringLiteral("duplicates")).toInteger(), 0);
    }

    void giveUpAfterNeedsADuration()
    {
        const QString file = writeFile(QStringLiteral("g.csv"), customers(1));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                 QStringLiteral("--file"), file, QStringLiteral("--base-url"), trackUrl(),
                                 QStringLiteral("--give-up-after"), QStringLiteral("soon")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--give-up-after"), r.err.constData());
        const Result help = runCli({QStringLiteral("run"), QStringLiteral("--help")});
        QVERIFY2(help.out.contains("--give-up-after <DURATION>"), help.out.constData());
        const Result commands = runCli({QStringLiteral("--help")});
        QVERIFY2(commands.out.contains("4 gave up"), commands.out.constData());
    }

    void sigtermDrainsAndSaysSo()
    {
        const QString file = writeFile(QStringLiteral("slow.csv"), customers(200));
        QProcess p;
        p.setProcessEnvironment(isolated(QProcessEnvironment::systemEnvironment()));
        p.start(QStringLiteral(HEADROOM_CLI),
                {QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                 QStringLiteral("--file"), file, QStringLiteral("--base-url"), trackUrl(), QStringLiteral("--rate"),
                 QStringLiteral("5"), QStringLiteral("--window"), QStringLiteral("200ms"), QStringLiteral("--progress"),
                 QStringLiteral("plain"), QStringLiteral("--progress-interval"), QStringLiteral("0")});
        QVERIFY(p.waitForStarted());
        // Wait until it has sent something, then interrupt.
        QTRY_VERIFY_WITH_TIMEOUT(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger() >= 5, 10000);
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 130);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.startsWith("drained"), out.constData());
        QVERIFY(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger() < 200);
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_cli_run.moc"
