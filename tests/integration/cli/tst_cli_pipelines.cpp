// The customerio-pipelines profile end to end: the sandbox answers an
// oversize call 200 and drops it, as Customer.io Pipelines does, and
// headroom-cli never sends one.
#include "tests/integration/sandbox/SandboxTestClient.h"
#include "tests/support/CliProcess.h"
#include "tests/support/TestFiles.h"
#include "core/sandbox/SandboxThread.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;

namespace {

const QString kPipelines = QStringLiteral("customerio-pipelines");

QByteArray requestLine(const char *path, const QByteArray &body)
{
    return QByteArray("{\"method\":\"POST\",\"path\":\"") + path + "\",\"body\":" + body + "}\n";
}

} // namespace

class TestCliPipelines : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    SandboxTestClient m_client;
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        return testing::writeFile(m_dir, name, content);
    }

    testing::ProcessResult runCli(const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        return testing::runProcess(QStringLiteral(HEADROOM_CLI), args, env);
    }

    QJsonObject pipelinesStats() const
    {
        return m_sandbox.stats().value(QStringLiteral("apis")).toObject().value(kPipelines).toObject();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_sandbox.start(sandbox::SandboxConfig()));
    }
    void init() { m_sandbox.reset(); }
    void cleanupTestCase() { m_sandbox.stop(); }

    void theSandboxDropsAnOversizeCallSilently_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        const QByteArray big(33 * 1024, 'x');
        QTest::newRow("a call over 32 KB") << QByteArray("/v1/identify") << QByteArray("{\"userId\":\"u1\",\"traits\":{\"bio\":\"") + big + "\"}}";
        QTest::newRow("a call over 32 KB in a batch")
            << QByteArray("/v1/batch") << QByteArray("{\"batch\":[{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"bio\":\"") + big + "\"}}]}";
    }

    void theSandboxDropsAnOversizeCallSilently()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        const QUrl url(m_sandbox.baseUrl(kPipelines).toString() + QString::fromLatin1(path));
        const auto r = m_client.send("POST", url, body, {{"Authorization", SandboxTestClient::basic("sandbox-write-key", "")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(pipelinesStats().value(QStringLiteral("silentlyDropped")).toInteger(), 1);
        QCOMPARE(pipelinesStats().value(QStringLiteral("accepted")).toInteger(), 0);
        // A call within the limits is processed.
        const auto ok = m_client.send("POST", QUrl(m_sandbox.baseUrl(kPipelines).toString() + QStringLiteral("/v1/group")),
                                      R"({"userId":"u1","groupId":"g1"})",
                                      {{"Authorization", SandboxTestClient::basic("sandbox-write-key", "")}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(pipelinesStats().value(QStringLiteral("accepted")).toInteger(), 1);
    }

    void aRunNeverSendsWhatTheServerWouldDrop()
    {
        const QByteArray big(33000, 'x');
        QByteArray lines;
        lines += requestLine("/v1/identify", R"({"userId":"u1","traits":{"name":"a"}})");
        lines += requestLine("/v1/identify", QByteArray("{\"userId\":\"u2\",\"traits\":{\"bio\":\"") + big + "\"}}");
        lines += requestLine("/v1/group", R"({"userId":"u3","groupId":"g1"})");
        lines += requestLine("/v1/batch", R"({"batch":[{"type":"track","userId":"u4","event":"e"},{"type":"identify","userId":"u5"}]})");
        const QString file = writeFile(QStringLiteral("cdp.jsonl"), lines);
        const QString mapping = writeFile(QStringLiteral("request.json"), R"({"operation":"request"})");

        const testing::ProcessResult preflight = runCli({QStringLiteral("preflight"), QStringLiteral("--profile"), kPipelines,
                                                         QStringLiteral("--file"), file, QStringLiteral("--mapping"), mapping});
        QVERIFY2(preflight.out.contains((file + QStringLiteral(":2:")).toUtf8()), preflight.out.constData());
        QVERIFY2(preflight.out.contains("customerio-pipelines allows 32000 per event"), preflight.out.constData());

        const QString runDir = m_dir.filePath(QStringLiteral("run"));
        const testing::ProcessResult r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), kPipelines,
                                                 QStringLiteral("--file"), file, QStringLiteral("--mapping"), mapping,
                                                 QStringLiteral("--base-url"), m_sandbox.baseUrl(kPipelines).toString(),
                                                 QStringLiteral("--run-dir"), runDir, QStringLiteral("--progress"),
                                                 QStringLiteral("none")});
        QCOMPARE(r.exitCode, 3);
        const QJsonObject s = testing::readJson(runDir + QStringLiteral("/summary.json"));
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 3);
        QCOMPARE(s.value(QStringLiteral("rows_failed")).toInteger(), 1);
        // The server processed every call it got and dropped none.
        QCOMPARE(pipelinesStats().value(QStringLiteral("accepted")).toInteger(), 3);
        QCOMPARE(pipelinesStats().value(QStringLiteral("acceptedItems")).toInteger(), 4);
        QCOMPARE(pipelinesStats().value(QStringLiteral("silentlyDropped")).toInteger(), 0);
        QFile deadLetters(runDir + QStringLiteral("/dead-letters.jsonl"));
        QVERIFY(deadLetters.open(QIODevice::ReadOnly));
        QVERIFY(deadLetters.readAll().contains("payload rule: the event is"));
    }

    void aCsvImportIdentifiesThroughPipelines()
    {
        const QString file = writeFile(QStringLiteral("people.csv"), testing::customersCsv("p", 20));
        const QString runDir = m_dir.filePath(QStringLiteral("csv-run"));
        const testing::ProcessResult r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), kPipelines,
                                                 QStringLiteral("--file"), file, QStringLiteral("--base-url"),
                                                 m_sandbox.baseUrl(kPipelines).toString(), QStringLiteral("--run-dir"),
                                                 runDir, QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(testing::readJson(runDir + QStringLiteral("/summary.json")).value(QStringLiteral("rows_done")).toInteger(), 20);
        QCOMPARE(pipelinesStats().value(QStringLiteral("acceptedItems")).toInteger(), 20);
        QCOMPARE(pipelinesStats().value(QStringLiteral("silentlyDropped")).toInteger(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliPipelines)
#include "tst_cli_pipelines.moc"
