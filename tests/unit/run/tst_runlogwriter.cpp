#include "core/run/RunLogWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using headroom::run::AttemptRecord;
using headroom::run::RunLogWriter;

namespace {

AttemptRecord record()
{
    AttemptRecord r;
    r.wallMs = 1796000000123;
    r.lane = QStringLiteral("customerio-track site:s1");
    r.operation = QStringLiteral("identify");
    r.method = "PUT";
    r.path = QStringLiteral("/api/v1/customers/u1");
    r.firstRow = 7;
    r.rowCount = 1;
    r.attempt = 2;
    r.status = 429;
    r.latencyMs = 12.34;
    r.remaining = 0;
    r.limit = 100;
    r.resetInS = 0.5;
    r.retryAfterS = 1.25;
    r.decision = QStringLiteral("retry");
    r.outcome = QStringLiteral("rejected:rate");
    r.delayMs = 1250;
    return r;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestRunLogWriter : public QObject
{
    Q_OBJECT
private slots:
    void linesAreJsonWithTheContractsFields()
    {
        const QByteArray line = RunLogWriter::toJsonLine(record());
        QVERIFY(line.endsWith('\n'));
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o.value("t").toInteger(), 1796000000123);
        QCOMPARE(o.value("lane").toString(), QStringLiteral("customerio-track site:s1"));
        QCOMPARE(o.value("method").toString(), QStringLiteral("PUT"));
        QCOMPARE(o.value("row").toInteger(), 7);
        QCOMPARE(o.value("attempt").toInteger(), 2);
        QCOMPARE(o.value("status").toInt(), 429);
        QCOMPARE(o.value("latency_ms").toDouble(), 12.3);
        QCOMPARE(o.value("remaining").toInteger(), 0);
        QCOMPARE(o.value("limit").toInteger(), 100);
        QCOMPARE(o.value("reset_s").toDouble(), 0.5);
        QCOMPARE(o.value("retry_after_s").toDouble(), 1.25);
        QCOMPARE(o.value("delay_ms").toDouble(), 1250.0);
        QCOMPARE(o.value("outcome").toString(), QStringLiteral("rejected:rate"));
        QVERIFY(!o.contains("error"));
    }

    // Whatever a path, an error text or an ignored header holds, the line
    // stays one line of valid JSON and reads back as the same text.
    void escapesAnyText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << QStringLiteral("/api/v1/customers/u1");
        QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c");
        QTest::newRow("newline, tab, return") << QStringLiteral("a\nb\tc\rd");
        QTest::newRow("control characters") << QString::fromUtf8("\x01\x1f\x7f end");
        QTest::newRow("non-ASCII") << QString::fromUtf8("José – 東京 😀");
        QTest::newRow("long") << QString(3000, QLatin1Char('x')) + QStringLiteral("\"");
        QTest::newRow("empty") << QString();
    }

    void escapesAnyText()
    {
        QFETCH(QString, text);
        AttemptRecord r = record();
        r.path = text;
        r.error = text;
        r.lane = text;
        r.ignoredSignals = {text, QStringLiteral("X-RateLimit-Reset: 'soon'")};
        const QByteArray line = RunLogWriter::toJsonLine(r);
        QCOMPARE(line.count('\n'), 1);
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o.value("path").toString(), text);
        QCOMPARE(o.value("lane").toString(), text);
        if (!text.isEmpty())
            QCOMPARE(o.value("error").toString(), text);
        QCOMPARE(o.value("ignored").toArray().first().toString(), text);
    }

    void aNumberThatIsNotOneIsNull()
    {
        AttemptRecord r = record();
        r.latencyMs = std::numeric_limits<double>::quiet_NaN();
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(RunLogWriter::toJsonLine(r), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(o.value("latency_ms").isNull());
    }

    void masksSecretsInTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("requests.jsonl"));
        {
            RunLogWriter writer(path, {"s3cr3t"});
            QVERIFY(writer.open(nullptr));
            AttemptRecord r = record();
            r.error = QStringLiteral("server said: bad key s3cr3t");
            writer.attemptFinished(r);
        }
        const QByteArray bytes = fileBytes(path);
        QVERIFY(!bytes.contains("s3cr3t"));
        QVERIFY(bytes.contains("bad key ***"));
    }

    // Lines wait in a buffer for a block write, but not past the next metrics
    // sample: an operator tailing requests.jsonl sees the run as it goes.
    void aSampleWritesWhatIsBuffered()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("requests.jsonl"));
        RunLogWriter writer(path);
        QVERIFY(writer.open(nullptr));
        writer.attemptFinished(record());
        writer.attemptFinished(record());
        QCOMPARE(fileBytes(path).count('\n'), 0);
        writer.lanesSampled({}, TimePoint{});
        QCOMPARE(fileBytes(path).count('\n'), 2);
        writer.lanesSampled({}, TimePoint{}); // nothing new: nothing written twice
        QCOMPARE(fileBytes(path).count('\n'), 2);
    }
};

QTEST_GUILESS_MAIN(TestRunLogWriter)
#include "tst_runlogwriter.moc"
