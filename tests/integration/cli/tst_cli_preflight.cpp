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

    void limitsFileErrorsNameFileAndPosition_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("errors");
        QTest::newRow("not JSON, line 2")
            << QByteArray("{\"scopes\": [\n  {\"name\": main}]}") << QStringList{"limits.json:2:12: is not JSON"};
        // Everything wrong at once, each with its scope's index and field.
        QTest::newRow("two scopes wrong")
            << QByteArray(R"({"scopes":[{"name":"main","windows":[{"limit":0,"per":"1s"}]},)"
                          R"({"name":"b","match":"POST /v1/campaigns/{id}/triggers","key":"campaign","windows":[{"limit":1,"per":"10s"}]}]})")
            << QStringList{"limits.json: scopes[0] \"main\": windows[0].limit: must be a whole number",
                           "limits.json: scopes[1] \"b\": key: \"campaign\" is not a variable of"};
    }

    void limitsFileErrorsNameFileAndPosition()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, errors);
        const QString limits = write("limits.json", json);
        const Result r = run({"--profile", "customerio-app", "--file", write("t.jsonl", "{\"method\":\"POST\",\"path\":\"/v1/send/email\"}\n"),
                              "--mapping", write("m.json", R"({"operation":"request"})"), "--limits", limits});
        QCOMPARE(r.exitCode, 2);
        const QString err = QString::fromUtf8(r.err).replace(limits, QStringLiteral("limits.json"));
        for (const QString &e : errors)
            QVERIFY2(err.contains(e), qPrintable(err));
    }

    void limitsFileScopesAreListed()
    {
        const QString limits = write("ok-limits.json", R"({"profile":"customerio-app","scopes":[
            {"name":"broadcasts","windows":[{"limit":1,"per":"10s"},{"limit":100,"per":"1d"}]},
            {"name":"exports","match":"POST /v1/exports/{kind}","key":"kind","windows":[{"limit":2,"per":"1m"}]}]})");
        const Result r = run({"--profile", "customerio-app", "--file", write("t2.jsonl", "{\"method\":\"POST\",\"path\":\"/v1/send/email\"}\n"),
                              "--mapping", write("m2.json", R"({"operation":"request"})"), "--limits", limits});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains("Rate scopes:"), qPrintable(out));
        QVERIFY2(out.contains("broadcasts  POST /v1/campaigns/{campaign}/triggers  per campaign  1 per 10s, 100 per 1d"), qPrintable(out));
        QVERIFY2(out.contains("exports  POST /v1/exports/{kind}  per kind  2 per 1m"), qPrintable(out));
        QVERIFY2(out.contains("transactional  POST /v1/send/email  100 per 1s"), qPrintable(out));
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
