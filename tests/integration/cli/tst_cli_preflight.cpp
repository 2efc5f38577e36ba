// headroom-cli preflight end to end: the report a person or a script reads
// before sending anything, and its exit codes.
#include "tests/support/CliProcess.h"
#include "tests/support/TestFiles.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCliPreflight : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    using Result = headroom::testing::ProcessResult;

    static Result run(const QStringList &args)
    {
        return headroom::testing::runProcess(QStringLiteral(HEADROOM_CLI), QStringList{QStringLiteral("preflight")} + args);
    }

    QString write(const QString &name, const QByteArray &content)
    {
        return headroom::testing::writeFile(m_dir, name, content);
    }

private slots:
    void sampleIsClean()
    {
        const Result r = run({"--profile", "customerio-track", "--file", HEADROOM_SAMPLE, "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("rows").toInteger(), 500);
        QCOMPARE(o.value("bad_rows").toInteger(), 0);
        QCOMPARE(o.value("requests_unbatched").toInteger(), 500);
        QVERIFY(o.value("requests_batched").toInteger() >= 1);
        QCOMPARE(o.value("expected_s_unbatched").toDouble(), 5.0); // 500 at 100 per 1 s
    }

    void badRowsAreListedWithTheirLines()
    {
        const QString file = write("bad.csv", "id,email\n"
                                              "a,a@example.com\n"
                                              "\"b,unterminated\n"
                                              "c,c@example.com\n"
                                              "a,again@example.com\n");
        const Result r = run({"--profile", "customerio-track", "--file", file, "--json"});
        QCOMPARE(r.exitCode, 0); // the operator decides
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o.value("bad_rows").toInteger() >= 1);
        const QJsonObject first = o.value("bad_rows_listed").toArray().first().toObject();
        QCOMPARE(first.value("line").toInteger(), 3);
        QCOMPARE(o.value("duplicate_ids").toInteger(), 1);
        // --strict turns bad rows into exit 3 for scripts.
        QCOMPARE(run({"--profile", "customerio-track", "--file", file, "--strict"}).exitCode, 3);
    }

    void unreadableInputExitsTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("missing file") << QStringList{"--profile", "customerio-track", "--file", "/nope.csv"};
        QTest::newRow("no id column") << QStringList{"--profile", "customerio-track", "--file", "@NOID@"};
        QTest::newRow("empty file") << QStringList{"--profile", "customerio-track", "--file", "@EMPTY@"};
        QTest::newRow("bad window") << QStringList{"--profile", "customerio-track", "--file", HEADROOM_SAMPLE, "--window", "x"};
        QTest::newRow("unknown profile") << QStringList{"--profile", "nope", "--file", HEADROOM_SAMPLE};
    }

    void unreadableInputExitsTwo()
    {
        QFETCH(QStringList, args);
        args.replaceInStrings("@NOID@", write("noid.csv", "email\nx@example.com\n"));
        args.replaceInStrings("@EMPTY@", write("empty.csv", ""));
        const Result r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliPreflight)
#include "tst_cli_preflight.moc"
