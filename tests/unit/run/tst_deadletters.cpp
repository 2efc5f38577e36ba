// Dead letters: one importable line per failed row with everything needed to
// understand it; the re-drive conversion back to request-file lines; the run
// log's CSV export; run.json round trip.
#include "core/imports/Batcher.h"
#include "core/imports/ImportProfile.h"
#include "core/run/DeadLetterRequests.h"
#include "core/run/DeadLetterWriter.h"
#include "core/run/RunDirectory.h"
#include "core/run/RunLogCsv.h"
#include "core/run/RunLogWriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::run;

namespace {

FailedRows failedIdentify()
{
    FailedRows f;
    f.lane = QStringLiteral("customerio-track site1");
    f.call.method = "PUT";
    f.call.path = QStringLiteral("/api/v1/customers/u7");
    f.call.body = R"({"email":"u7@example.com"})";
    f.call.operation = QStringLiteral("identify");
    f.call.rows = {7};
    f.call.lines = {8};
    f.rows = {7};
    f.lines = {8};
    f.attempts = 5;
    f.lastStatus = 503;
    f.lastBody = QByteArray(5000, 'x');
    f.reason = QStringLiteral("HTTP 503 after 5 attempts");
    return f;
}

QJsonObject parse(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestDeadLetters : public QObject
{
    Q_OBJECT

private slots:
    void lineCarriesRequestAndWhy()
    {
        const QList<QByteArray> lines = DeadLetterWriter::toJsonLines(failedIdentify(), QStringLiteral("customerio-track"), {});
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines.first().endsWith('\n'));
        QCOMPARE(lines.first().count('\n'), 1);
        const QJsonObject o = parse(lines.first());
        QCOMPARE(o.value(QStringLiteral("method")).toString(), QStringLiteral("PUT"));
        QCOMPARE(o.value(QStringLiteral("path")).toString(), QStringLiteral("/api/v1/customers/u7"));
        QCOMPARE(o.value(QStringLiteral("body")).toObject().value(QStringLiteral("email")).toString(),
                 QStringLiteral("u7@example.com"));
        const QJsonObject h = o.value(QStringLiteral("_headroom")).toObject();
        QCOMPARE(h.value(QStringLiteral("row")).toInteger(), 7);
        QCOMPARE(h.value(QStringLiteral("line")).toInteger(), 8);
        QCOMPARE(h.value(QStringLiteral("operation")).toString(), QStringLiteral("identify"));
        QCOMPARE(h.value(QStringLiteral("attempts")).toInt(), 5);
        QCOMPARE(h.value(QStringLiteral("status")).toInt(), 503);
        QCOMPARE(h.value(QStringLiteral("response")).toString().size(), 2048);
        QCOMPARE(h.value(QStringLiteral("reason")).toString(), QStringLiteral("HTTP 503 after 5 attempts"));
        QCOMPARE(h.value(QStringLiteral("profile")).toString(), QStringLiteral("customerio-track"));
        QVERIFY(DeadLetterWriter::isDeadLetter(o));
    }

    // A dead letter says what it came to: rejected with a class the operator
    // can act on, or ambiguous — it may have been applied.
    void lineSaysItsOutcome_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("rejectClass");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("reasonClass");
        QTest::addColumn<bool>("mayHaveBeenApplied");
        QTest::newRow("rejected: schema") << int(AttemptOutcome::Kind::Rejected) << int(AttemptOutcome::RejectClass::Schema)
                                          << "rejected"
                                          << "schema" << false;
        QTest::newRow("rejected: identifier") << int(AttemptOutcome::Kind::Rejected) << int(AttemptOutcome::RejectClass::Identifier)
                                              << "rejected"
                                              << "identifier" << false;
        QTest::newRow("ambiguous") << int(AttemptOutcome::Kind::Ambiguous) << 0 << "ambiguous" << QString() << true;
    }
    void lineSaysItsOutcome()
    {
        QFETCH(int, kind);
        QFETCH(int, rejectClass);
        QFETCH(QString, outcome);
        QFETCH(QString, reasonClass);
        QFETCH(bool, mayHaveBeenApplied);
        FailedRows f = failedIdentify();
        f.outcome = {AttemptOutcome::Kind(kind), AttemptOutcome::RejectClass(rejectClass)};
        const QJsonObject h = parse(DeadLetterWriter::toJsonLines(f, QStringLiteral("customerio-track"), {}).first())
                                  .value(QStringLiteral("_headroom"))
                                  .toObject();
        QCOMPARE(h.value(QStringLiteral("outcome")).toString(), outcome);
        QCOMPARE(h.value(QStringLiteral("reason_class")).toString(), reasonClass);
        QCOMPARE(h.value(QStringLiteral("may_have_been_applied")).toBool(), mayHaveBeenApplied);
    }

    void rejectedRowKeepsItsOriginalBytes()
    {
        FailedRows f;
        f.rows = {3};
        f.lines = {4};
        f.reason = QStringLiteral("value over 1000 bytes");
        f.raw = "big,xxxx,pro";
        const QJsonObject o = parse(DeadLetterWriter::toJsonLines(f, QStringLiteral("customerio-track"), {}).first());
        QVERIFY(!o.contains(QStringLiteral("method")));
        const QJsonObject h = o.value(QStringLiteral("_headroom")).toObject();
        QCOMPARE(h.value(QStringLiteral("original")).toString(), QStringLiteral("big,xxxx,pro"));
        QCOMPARE(h.value(QStringLiteral("operation")).toString(), QStringLiteral("rejected"));
    }

    void batchRowGetsAOneItemBatch()
    {
        auto batcher = imports::Batcher::forProfile(imports::Profile::CustomerIoTrack);
        QVERIFY(batcher);
        batcher->add(R"({"type":"person","identifiers":{"id":"a"},"action":"identify"})", 1, 2);
        batcher->add(R"({"type":"person","identifiers":{"id":"b"},"action":"identify"})", 2, 3);
        FailedRows f;
        f.call = batcher->take();
        f.call.operation = QStringLiteral("batch");
        f.rows = {2};
        f.lines = {3};
        f.reason = QStringLiteral("invalid");
        const QJsonObject o = parse(DeadLetterWriter::toJsonLines(f, QStringLiteral("customerio-track"), batcher).first());
        const QByteArray body = QJsonDocument(o.value(QStringLiteral("body")).toObject()).toJson(QJsonDocument::Compact);
        QVERIFY2(body.contains("\"b\"") && !body.contains("\"a\""), body.constData());
    }

    void writerMasksSecretsAndConversionReDrives()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("dead-letters.jsonl"));
        {
            DeadLetterWriter writer(path, QStringLiteral("customerio-track"), {QByteArray("s3cr3t-key")});
            QString error;
            QVERIFY(writer.open(&error));
            FailedRows f = failedIdentify();
            f.lastBody = "echo: s3cr3t-key";
            writer.rowsFailed(f);
            FailedRows bad;
            bad.rows = {9};
            bad.raw = "x";
            writer.rowsFailed(bad);
            QCOMPARE(writer.linesWritten(), 2);
        }
        const QByteArray written = readAll(path);
        QVERIFY(!written.contains("s3cr3t-key"));
        QCOMPARE(DeadLetterRequests::profileOf(path), std::optional<QString>(QStringLiteral("customerio-track")));

        QString error;
        const QString out = dir.filePath(QStringLiteral("redrive.jsonl"));
        const auto result = DeadLetterRequests::convert(path, out, QStringLiteral("customerio-track"), &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(result->requests, 1);
        QCOMPARE(result->unsendable, 1);
        const QJsonObject request = parse(readAll(out).trimmed());
        QCOMPARE(request.keys(), (QStringList{QStringLiteral("body"), QStringLiteral("method"), QStringLiteral("path")}));
    }

    // Lines far longer than one chunk of a read come back whole: the request
    // of each, and the lines after it.
    void longLinesAreReadWhole()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("dead-letters.jsonl"));
        const QByteArray email(200 * 1024, 'y');
        {
            DeadLetterWriter writer(path, QStringLiteral("customerio-track"));
            QString error;
            QVERIFY(writer.open(&error));
            for (int i = 0; i < 3; ++i) {
                FailedRows f = failedIdentify();
                f.call.body = "{\"email\":\"" + email + "\"}";
                writer.rowsFailed(f);
            }
        }
        QCOMPARE(DeadLetterRequests::profileOf(path), std::optional<QString>(QStringLiteral("customerio-track")));
        QString error;
        const QString out = dir.filePath(QStringLiteral("redrive.jsonl"));
        const auto result = DeadLetterRequests::convert(path, out, QStringLiteral("customerio-track"), &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(result->requests, 3);
        const QList<QByteArray> lines = readAll(out).trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (const QByteArray &line : lines)
            QCOMPARE(parse(line).value(QStringLiteral("body")).toObject().value(QStringLiteral("email")).toString().size(),
                     email.size());
    }

    void conversionRefusesOtherFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"method\":\"GET\",\"path\":\"/\"}\n");
        f.close();
        QVERIFY(!DeadLetterRequests::profileOf(path));
        QString error;
        QVERIFY(!DeadLetterRequests::convert(path, dir.filePath(QStringLiteral("o")), QStringLiteral("generic"), &error));
        QVERIFY(error.contains(QStringLiteral("not a dead letter")));
    }

    // The file never chooses what is sent with the operator's credentials:
    // a line that is not a call of the re-drive's profile refuses the whole
    // file with its line (whatever profile the line claims), nothing written.
    void conversionRefusesCallsTheProfileDoesNotMake_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("track identify") << "customerio-track" << QByteArray("PUT") << "/api/v1/customers/u7" << true;
        QTest::newRow("app admin delete") << "customerio-app" << QByteArray("DELETE") << "/admin/everything" << false;
        QTest::newRow("track, another method") << "customerio-track" << QByteArray("DELETE") << "/api/v1/events" << false;
        QTest::newRow("track, dot dot") << "customerio-track" << QByteArray("DELETE") << "/api/v1/customers/.." << false;
        QTest::newRow("generic anything") << "generic" << QByteArray("DELETE") << "/things/7" << true;
        QTest::newRow("generic, dot dot") << "generic" << QByteArray("GET") << "/a/../../b" << false;
    }

    void conversionRefusesCallsTheProfileDoesNotMake()
    {
        QFETCH(QString, profile);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(bool, accepted);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("dead-letters.jsonl"));
        FailedRows crafted = failedIdentify();
        crafted.call.method = method;
        crafted.call.path = path;
        const QList<QByteArray> good = DeadLetterWriter::toJsonLines(failedIdentify(), profile, {});
        const QList<QByteArray> claimed = DeadLetterWriter::toJsonLines(crafted, QStringLiteral("customerio-app"), {});
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(good.first() + "\n" + claimed.first()); // a blank line between: line 3
        f.close();
        QString error;
        const QString out = dir.filePath(QStringLiteral("o.jsonl"));
        const bool generic = profile == QLatin1String("generic");
        const auto result = DeadLetterRequests::convert(file, out, profile, &error);
        if (accepted) {
            QVERIFY2(result, qPrintable(error));
            QCOMPARE(result->requests, 2);
            QCOMPARE(result->profile, profile);
            return;
        }
        QVERIFY(!result);
        QVERIFY2(error.contains(file + (generic || profile == QLatin1String("customerio-track") ? QStringLiteral(":3:") : QStringLiteral(":1:"))),
                 qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("not a call of profile ") + profile), qPrintable(error));
        QVERIFY(!QFile::exists(out));
    }

    void runLogExportsToCsv()
    {
        QTemporaryDir dir;
        AttemptRecord r;
        r.wallMs = 1700000000000;
        r.lane = QStringLiteral("lane, one");
        r.operation = QStringLiteral("identify");
        r.method = "PUT";
        r.path = QStringLiteral("/api/v1/customers/1");
        r.firstRow = 1;
        r.rowCount = 1;
        r.attempt = 2;
        r.status = 429;
        r.latencyMs = 12.5;
        r.remaining = 0;
        r.limit = 100;
        r.retryAfterS = 1.5;
        r.decision = QStringLiteral("retry");
        r.reason = QStringLiteral("=HYPERLINK(\"x\")");
        const QString jsonl = dir.filePath(QStringLiteral("requests.jsonl"));
        QFile f(jsonl);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(RunLogWriter::toJsonLine(r));
        f.write("{\"torn");
        f.close();
        QString error;
        qint64 rows = 0;
        QVERIFY(RunLogCsv::convert(jsonl, dir.filePath(QStringLiteral("r.csv")), &error, &rows));
        QCOMPARE(rows, 1);
        const QList<QByteArray> lines = readAll(dir.filePath(QStringLiteral("r.csv"))).split('\n');
        QVERIFY(lines.at(0).startsWith("t,lane,op,method,path,row,rows,attempt,status,latency_ms,remaining,limit"));
        QVERIFY2(lines.at(1).contains("\"lane, one\",identify,PUT,/api/v1/customers/1,1,1,2,429,12.5,0,100,,1.5,retry"),
                 lines.at(1).constData());
        QVERIFY(lines.at(1).contains("\"'=HYPERLINK(\"\"x\"\")\"")); // no formula
    }

    void runLogLineEscapesEveryString()
    {
        AttemptRecord r;
        r.lane = QStringLiteral("quote \" backslash \\ newline \n tab \t bell \x07 é ✓");
        r.operation = QStringLiteral("identify");
        r.method = "PUT";
        r.path = QStringLiteral("/api/v1/customers/a\"b");
        r.decision = QStringLiteral("done");
        r.error = QStringLiteral("\r\n");
        r.ignoredSignals = {QStringLiteral("X-RateLimit-Reset: '\x01'")};
        const QByteArray line = RunLogWriter::toJsonLine(r);
        QCOMPARE(line.count('\n'), 1);
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(o.value(QStringLiteral("lane")).toString(), r.lane);
        QCOMPARE(o.value(QStringLiteral("path")).toString(), r.path);
        QCOMPARE(o.value(QStringLiteral("error")).toString(), r.error);
        QCOMPARE(o.value(QStringLiteral("ignored")).toArray().first().toString(), r.ignoredSignals.first());
    }

    void tornLineIsEnded_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("whole") << QByteArray("{}\n") << QByteArray("{}\n");
        QTest::newRow("torn") << QByteArray("{}\n{\"t\":1") << QByteArray("{}\n{\"t\":1\n");
    }

    void tornLineIsEnded()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("log.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(before);
        f.close();
        QVERIFY(RunDirectory::endTornLine(path));
        QCOMPARE(readAll(path), after);
        QVERIFY(RunDirectory::endTornLine(dir.filePath(QStringLiteral("missing"))));
    }

    void manifestRoundTripsWithoutSecrets()
    {
        RunDirectory::Manifest m;
        m.id = QStringLiteral("20261123-000000-abcd");
        m.settings.profile = QStringLiteral("customerio-track");
        m.settings.file = QStringLiteral("/data/x.csv");
        m.settings.rate = 100;
        m.sourceProfile = QStringLiteral("generic");
        QString error;
        const auto back = RunDirectory::manifestFromJson(RunDirectory::manifestToJson(m), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->id, m.id);
        QCOMPARE(back->settings.file, m.settings.file);
        QCOMPARE(back->settings.rate, m.settings.rate);
        QCOMPARE(back->sourceProfile, m.sourceProfile);
        QVERIFY(!RunDirectory::manifestFromJson(QJsonObject{{QStringLiteral("version"), 99}}, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDeadLetters)
#include "tst_deadletters.moc"
