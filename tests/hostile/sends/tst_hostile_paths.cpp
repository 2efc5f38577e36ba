// Issue 18, item 1: an id or a request path made of dot segments must not
// reach another endpoint. Such rows are bad rows (preflight lists them all,
// the run dead-letters them with the reason) and nothing is sent for them.
#include "tests/hostile/sends/HostileCli.h"

#include <QTest>

using namespace headroom;

class TestHostilePaths : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;

    QString url(const char *api, const char *under = "") const
    {
        return m_sandbox.baseUrl(QLatin1String(api)).toString() + QLatin1String(under);
    }

    // Runs `file` and answers the dead letters it left.
    QList<QJsonObject> run(const QString &name, const QStringList &extra, int expectedExit)
    {
        const QString runDir = m_dir.filePath(name + QStringLiteral("-run"));
        const testing::ProcessResult r = testing::runCli(
            QStringList{QStringLiteral("run"), QStringLiteral("--run-dir"), runDir, QStringLiteral("--progress"),
                        QStringLiteral("none")}
                + extra,
            testing::isolatedEnvironment(m_dir));
        if (r.exitCode != expectedExit)
            qWarning("exit %d: %s", r.exitCode, r.err.constData());
        [&] { QCOMPARE(r.exitCode, expectedExit); }();
        return testing::readJsonLines(runDir + QStringLiteral("/dead-letters.jsonl"));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_sandbox.start());
    }

    void init() { m_sandbox.reset(); }

    void dotIdsAreBadRowsAndNeverSent_data()
    {
        QTest::addColumn<QByteArray>("mapping");
        QTest::newRow("delete") << QByteArray(R"({"operation":"delete"})");
        QTest::newRow("identify") << QByteArray(R"({"operation":"identify"})");
        QTest::newRow("suppress") << QByteArray(R"({"operation":"suppress"})");
    }

    void dotIdsAreBadRowsAndNeverSent()
    {
        QFETCH(QByteArray, mapping);
        const QString csv = testing::writeFile(m_dir, QStringLiteral("dots.csv"),
                                               "id,email\n.,a@example.com\n..,b@example.com\n"
                                               "%2e%2e,c@example.com\nok,d@example.com\n");
        const QString mappingFile = testing::writeFile(m_dir, QStringLiteral("dots.json"), mapping);
        const QList<QJsonObject> dead = run(QString::fromLatin1(QTest::currentDataTag()),
                                            {QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                             QStringLiteral("--file"), csv, QStringLiteral("--mapping"), mappingFile,
                                             QStringLiteral("--base-url"), url("customerio-track")},
                                            3);
        // Only the row "ok" reached the sandbox; "%2e%2e" is a literal id, encoded.
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("rejectedTotal")).toInteger(), 0);
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(), 2);
        QCOMPARE(dead.size(), 2);
        for (const QJsonObject &letter : dead) {
            const QJsonObject meta = letter.value(QStringLiteral("_headroom")).toObject();
            QVERIFY(!letter.contains(QStringLiteral("method"))); // rejected before sending
            QVERIFY2(meta.value(QStringLiteral("reason")).toString().contains(QStringLiteral("column 'id'")),
                     qPrintable(meta.value(QStringLiteral("reason")).toString()));
        }
    }

    void preflightListsEveryDotIdWithFileAndLine()
    {
        const QString csv = testing::writeFile(m_dir, QStringLiteral("pre.csv"),
                                               "id,email\n.,a@example.com\nok,b@example.com\n..,c@example.com\n");
        const testing::ProcessResult r = testing::runCli(
            {QStringLiteral("preflight"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
             QStringLiteral("--file"), csv},
            testing::isolatedEnvironment(m_dir));
        const QString all = QString::fromUtf8(r.out + r.err);
        QVERIFY2(all.contains(csv + QStringLiteral(":2")), qPrintable(all));
        QVERIFY2(all.contains(csv + QStringLiteral(":4")), qPrintable(all));
        QVERIFY(all.contains(QStringLiteral("'..'")));
    }

    void requestPathsWithDotSegmentsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("up and out") << QByteArray("/a/../../b");
        QTest::newRow("dot") << QByteArray("/./things");
        QTest::newRow("encoded") << QByteArray("/%2e%2E/b");
        QTest::newRow("backslash") << QByteArray("/a\\\\..\\\\..\\\\b");
        QTest::newRow("before a query") << QByteArray("/..?x=1");
    }

    void requestPathsWithDotSegmentsAreRefused()
    {
        QFETCH(QByteArray, path);
        const QString file = testing::writeFile(m_dir, QStringLiteral("requests.jsonl"),
                                                "{\"method\":\"GET\",\"path\":\"/fine\"}\n"
                                                "{\"method\":\"GET\",\"path\":\""
                                                    + path + "\"}\n");
        const QList<QJsonObject> dead = run(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')),
                                            {QStringLiteral("--profile"), QStringLiteral("generic"),
                                             QStringLiteral("--file"), file, QStringLiteral("--base-url"),
                                             url("generic", "/api")},
                                            3);
        QCOMPARE(testing::requestsSeen(m_sandbox), 1);
        QCOMPARE(dead.size(), 1);
        const QJsonObject meta = dead.constFirst().value(QStringLiteral("_headroom")).toObject();
        QCOMPARE(meta.value(QStringLiteral("line")).toInteger(), 2);
        QVERIFY2(meta.value(QStringLiteral("reason")).toString().contains(QStringLiteral("'..'")),
                 qPrintable(meta.value(QStringLiteral("reason")).toString()));
    }
};

QTEST_GUILESS_MAIN(TestHostilePaths)
#include "tst_hostile_paths.moc"
