// JSON Lines and streamed JSON arrays: records, line numbers, resilience.
#include "core/imports/RecordReader.h"

#include <QJsonDocument>
#include <QtTest>

using namespace headroom::imports;

namespace {

struct Read
{
    QList<QByteArray> objects; // compact JSON of good records
    QList<qint64> lines;
    QList<qint64> rows;
    QList<RowProblem> problems;
    QString fatal;
};

Read readAll(const QByteArray &bytes, InputFormat format, qsizetype chunk = 1 << 20, qsizetype cap = 1 << 20)
{
    ReaderLimits limits;
    limits.chunkBytes = chunk;
    limits.maxRecordBytes = cap;
    auto reader = RecordReader::openBytes(bytes, format, QStringLiteral("t"), limits);
    Read out;
    Record rec;
    RowProblem p;
    for (;;) {
        const auto r = reader->next(rec, p);
        if (r == RecordReader::Result::End)
            break;
        if (r == RecordReader::Result::Fatal) {
            out.fatal = reader->fatal().message;
            break;
        }
        if (r == RecordReader::Result::Problem) {
            out.problems.append(p);
            continue;
        }
        out.objects.append(QJsonDocument(rec.object).toJson(QJsonDocument::Compact));
        out.lines.append(rec.line);
        out.rows.append(rec.row);
    }
    return out;
}

} // namespace

class TestJsonReaders : public QObject
{
    Q_OBJECT

private slots:
    // --format and run.json spell formats one way for both the CLI's run and
    // preflight (preflight alone used to accept "ndjson" and capitals).
    void formatNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format"); // -1: refused
        QTest::newRow("empty is auto") << QString() << int(InputFormat::Auto);
        QTest::newRow("csv") << QStringLiteral("csv") << int(InputFormat::Csv);
        QTest::newRow("CSV") << QStringLiteral("CSV") << int(InputFormat::Csv);
        QTest::newRow("jsonl") << QStringLiteral("jsonl") << int(InputFormat::JsonLines);
        QTest::newRow("ndjson") << QStringLiteral("ndjson") << int(InputFormat::JsonLines);
        QTest::newRow("json") << QStringLiteral("json") << int(InputFormat::JsonArray);
        QTest::newRow("xml") << QStringLiteral("xml") << -1;
        QTest::newRow("json lines") << QStringLiteral("json lines") << -1;
    }
    void formatNames()
    {
        QFETCH(QString, name);
        QFETCH(int, format);
        const std::optional<InputFormat> parsed = RecordReader::formatFromName(name);
        QCOMPARE(parsed ? int(*parsed) : -1, format);
    }

    void jsonLines()
    {
        const QByteArray input("\xEF\xBB\xBF{\"id\":\"1\"}\r\n\n{\"id\":2,\"n\":{\"a\":[1,2]}}\n  \n{\"id\":\"3\"}");
        for (const qsizetype chunk : {qsizetype(1 << 20), qsizetype(16), qsizetype(19)}) {
            const Read r = readAll(input, InputFormat::JsonLines, chunk);
            QVERIFY(r.fatal.isEmpty());
            QVERIFY(r.problems.isEmpty());
            QCOMPARE(r.objects, (QList<QByteArray>{"{\"id\":\"1\"}", "{\"id\":2,\"n\":{\"a\":[1,2]}}", "{\"id\":\"3\"}"}));
            QCOMPARE(r.lines, (QList<qint64>{1, 3, 5}));
            QCOMPARE(r.rows, (QList<qint64>{1, 2, 3}));
        }
    }

    void jsonLinesOverCapSkipsOnlyThatLine()
    {
        const QByteArray input = "{\"id\":\"1\"}\n{\"id\":\"" + QByteArray(500, 'x') + "\"}\n{\"id\":\"3\"}\n";
        const Read r = readAll(input, InputFormat::JsonLines, 32, 100);
        QCOMPARE(r.problems.size(), 1);
        QCOMPARE(r.problems.at(0).row, 2);
        QCOMPARE(r.problems.at(0).line, 2);
        QVERIFY(r.problems.at(0).message.contains(QLatin1String("100-byte cap")));
        QCOMPARE(r.rows, (QList<qint64>{1, 3}));
        QCOMPARE(r.lines, (QList<qint64>{1, 3}));
    }

    void jsonArray()
    {
        const QByteArray input(
            "[\n"
            "  {\"id\": \"1\", \"s\": \"a ] } , [ { \\\" quote\"},\n"
            "  {\"id\": 2,\n   \"nested\": {\"x\": [1, {\"y\": null}]}},\n"
            "  {\"id\": \"3\"}\n"
            "]\n");
        for (const qsizetype chunk : {qsizetype(1 << 20), qsizetype(16), qsizetype(23)}) {
            const Read r = readAll(input, InputFormat::JsonArray, chunk);
            QVERIFY2(r.fatal.isEmpty(), qPrintable(r.fatal));
            QVERIFY(r.problems.isEmpty());
            QCOMPARE(r.objects.size(), 3);
            QCOMPARE(r.objects.at(0), QByteArray("{\"id\":\"1\",\"s\":\"a ] } , [ { \\\" quote\"}"));
            QCOMPARE(r.lines, (QList<qint64>{2, 3, 5}));
        }
    }

    void jsonArrayOverCapElementIsOneBadRow()
    {
        const QByteArray input = "[{\"id\":\"1\"},{\"id\":\"" + QByteArray(1000, 'x') + "\"},{\"id\":\"3\"}]";
        const Read r = readAll(input, InputFormat::JsonArray, 32, 200);
        QVERIFY(r.fatal.isEmpty());
        QCOMPARE(r.problems.size(), 1);
        QCOMPARE(r.problems.at(0).row, 2);
        QCOMPARE(r.rows, (QList<qint64>{1, 3}));
    }

    void emptyArrayHasNoRows()
    {
        const Read r = readAll(" [ ] ", InputFormat::JsonArray);
        QVERIFY(r.fatal.isEmpty());
        QVERIFY(r.objects.isEmpty());
    }

    void autoDetection_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("objects");
        QTest::newRow("array by content") << QByteArray("  [{\"id\":\"1\"}]") << QStringLiteral("x.json") << 1;
        QTest::newRow("jsonl by content") << QByteArray("{\"id\":\"1\"}\n{\"id\":\"2\"}\n") << QStringLiteral("x.json") << 2;
        QTest::newRow("jsonl by extension") << QByteArray("{\"id\":\"1\"}\n") << QStringLiteral("x.ndjson") << 1;
    }

    void autoDetection()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, name);
        QFETCH(int, objects);
        auto reader = RecordReader::openBytes(input, InputFormat::Auto, name);
        Record rec;
        RowProblem p;
        int n = 0;
        while (reader->next(rec, p) == RecordReader::Result::Record) {
            QVERIFY(rec.isJson);
            ++n;
        }
        QCOMPARE(n, objects);
    }
};

QTEST_GUILESS_MAIN(TestJsonReaders)
#include "tst_jsonreaders.moc"
