// The CSV reader on well-formed but awkward input: RFC 4180 quoting, line
// endings, BOM, delimiter detection, row and line numbers, and chunking.
#include "core/imports/CsvReader.h"
#include "core/imports/RecordReader.h"

#include <QtTest>

using namespace headroom::imports;

namespace {

struct Read
{
    QList<QList<QByteArray>> rows; // good rows' fields
    QList<qint64> rowNumbers;
    QList<qint64> lines;
    QList<RowProblem> problems;
    QList<QByteArray> columns;
    bool fatal = false;
    QString fatalMessage;
};

Read readAll(const QByteArray &bytes, qsizetype chunk = 1 << 20, char delimiter = 0)
{
    ReaderLimits limits;
    limits.chunkBytes = chunk;
    limits.delimiter = delimiter;
    auto reader = RecordReader::openBytes(bytes, InputFormat::Csv, QStringLiteral("t.csv"), limits);
    Read out;
    Record rec;
    RowProblem problem;
    for (;;) {
        const auto r = reader->next(rec, problem);
        if (r == RecordReader::Result::End)
            break;
        if (r == RecordReader::Result::Fatal) {
            out.fatal = true;
            out.fatalMessage = reader->fatal().message;
            break;
        }
        if (r == RecordReader::Result::Problem) {
            out.problems.append(problem);
            continue;
        }
        QList<QByteArray> fields;
        for (int i = 0; i < rec.fieldCount(); ++i)
            fields.append(rec.field(i).toByteArray());
        out.rows.append(fields);
        out.rowNumbers.append(rec.row);
        out.lines.append(rec.line);
    }
    out.columns = reader->columns();
    return out;
}

using Rows = QList<QList<QByteArray>>;

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

private slots:
    void fields_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<Rows>("expected");
        QTest::addColumn<QList<qint64>>("lines");

        QTest::newRow("plain LF") << QByteArray("id,a\n1,x\n2,y\n") << Rows{{"1", "x"}, {"2", "y"}} << QList<qint64>{2, 3};
        QTest::newRow("CRLF") << QByteArray("id,a\r\n1,x\r\n2,y\r\n") << Rows{{"1", "x"}, {"2", "y"}} << QList<qint64>{2, 3};
        QTest::newRow("lone CR") << QByteArray("id,a\r1,x\r2,y") << Rows{{"1", "x"}, {"2", "y"}} << QList<qint64>{2, 3};
        QTest::newRow("no final newline") << QByteArray("id,a\n1,x") << Rows{{"1", "x"}} << QList<qint64>{2};
        QTest::newRow("quoted delimiter") << QByteArray("id,a\n1,\"x,y\"\n") << Rows{{"1", "x,y"}} << QList<qint64>{2};
        QTest::newRow("doubled quotes") << QByteArray("id,a\n1,\"say \"\"hi\"\"\"\n") << Rows{{"1", "say \"hi\""}} << QList<qint64>{2};
        QTest::newRow("embedded newline moves next line")
            << QByteArray("id,a\n1,\"two\nlines\"\n2,z\n") << Rows{{"1", "two\nlines"}, {"2", "z"}} << QList<qint64>{2, 4};
        QTest::newRow("embedded CRLF kept") << QByteArray("id,a\r\n1,\"a\r\nb\"\r\n") << Rows{{"1", "a\r\nb"}} << QList<qint64>{2};
        QTest::newRow("empty fields") << QByteArray("id,a,b\n1,,\n") << Rows{{"1", "", ""}} << QList<qint64>{2};
        QTest::newRow("empty quoted field") << QByteArray("id,a\n1,\"\"\n") << Rows{{"1", ""}} << QList<qint64>{2};
        QTest::newRow("bare quote inside unquoted field is literal")
            << QByteArray("id,a\n1,5\" screen\n") << Rows{{"1", "5\" screen"}} << QList<qint64>{2};
        QTest::newRow("blank lines skipped but counted")
            << QByteArray("id,a\n\n1,x\n\r\n2,y\n") << Rows{{"1", "x"}, {"2", "y"}} << QList<qint64>{3, 5};
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBFid,a\n1,x\n") << Rows{{"1", "x"}} << QList<qint64>{2};
        QTest::newRow("header only") << QByteArray("id,a\n") << Rows{} << QList<qint64>{};
        QTest::newRow("UTF-8 kept as bytes") << QByteArray("id,a\n1,Zürich 東京\n") << Rows{{"1", "Zürich 東京"}} << QList<qint64>{2};
    }

    void fields()
    {
        QFETCH(QByteArray, input);
        QFETCH(Rows, expected);
        QFETCH(QList<qint64>, lines);
        // Every chunk size must give the same answer as reading in one go.
        for (const qsizetype chunk : {qsizetype(1 << 20), qsizetype(16), qsizetype(17), qsizetype(31)}) {
            const Read r = readAll(input, chunk);
            QVERIFY2(!r.fatal, qPrintable(r.fatalMessage));
            QVERIFY(r.problems.isEmpty());
            QCOMPARE(r.rows, expected);
            QCOMPARE(r.lines, lines);
        }
    }

    void delimiterDetection_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<char>("expected");
        QTest::newRow("comma") << QByteArray("id,name,plan\n1,a,b\n") << ',';
        QTest::newRow("semicolon") << QByteArray("id;name;plan\n1;a,b;c\n") << ';';
        QTest::newRow("tab") << QByteArray("id\tname\tplan\n1\ta\tb\n") << '\t';
        QTest::newRow("quoted commas do not count") << QByteArray("\"a,b,c\";x\n1;2\n") << ';';
        QTest::newRow("single column defaults to comma") << QByteArray("id\n1\n") << ',';
    }

    void delimiterDetection()
    {
        QFETCH(QByteArray, input);
        QFETCH(char, expected);
        ReaderLimits limits;
        CsvReader reader(limits);
        auto r = RecordReader::openBytes(input, InputFormat::Csv, QStringLiteral("d.csv"));
        Record rec;
        RowProblem p;
        QCOMPARE(r->next(rec, p), RecordReader::Result::Record);
        QCOMPARE(static_cast<CsvReader *>(r.get())->delimiter(), expected);
        QCOMPARE(rec.fieldCount(), int(r->columns().size()));
    }

    void explicitDelimiterWins()
    {
        const Read r = readAll("a;b,c\n1;2,3\n", 1 << 20, ',');
        QCOMPARE(r.columns, (QList<QByteArray>{"a;b", "c"}));
        QCOMPARE(r.rows, (Rows{{"1;2", "3"}}));
    }

    void rowNumbersCountBadRows()
    {
        // Row numbers are positions among data records, bad ones included, so a
        // journal can record ranges; the header and blank lines are not rows.
        const Read r = readAll("id,a\n1,x\n2\n\n3,z\n4,\"q\"junk\n5,w\n");
        QCOMPARE(r.rowNumbers, (QList<qint64>{1, 3, 5}));
        QCOMPARE(r.problems.size(), 2);
        QCOMPARE(r.problems.at(0).row, 2);
        QCOMPARE(r.problems.at(0).line, 3);
        QCOMPARE(r.problems.at(1).row, 4);
        QCOMPARE(r.problems.at(1).line, 6);
        QCOMPARE(r.lines, (QList<qint64>{2, 5, 7}));
    }

    void runawayQuoteIsCappedAndReadingResumes()
    {
        // A quote that never closes must not swallow the rest of a big file:
        // past the cap it is one bad row and reading resumes on the next line.
        QByteArray input("id,a\n1,\"open\n");
        for (int i = 2; i < 200; ++i)
            input += QByteArray::number(i) + ",plain\n";
        ReaderLimits limits;
        limits.chunkBytes = 64;
        limits.maxRecordBytes = 256;
        auto reader = RecordReader::openBytes(input, InputFormat::Csv, QStringLiteral("r.csv"), limits);
        Record rec;
        RowProblem p;
        QCOMPARE(reader->next(rec, p), RecordReader::Result::Problem);
        QCOMPARE(p.row, 1);
        QCOMPARE(p.line, 2);
        QCOMPARE(p.column, 3);
        QVERIFY(p.message.contains(QLatin1String("unterminated quote")));
        QCOMPARE(reader->next(rec, p), RecordReader::Result::Record);
        QCOMPARE(rec.field(0), QByteArrayView("2"));
        QCOMPARE(rec.line, 3);
        int good = 1;
        while (reader->next(rec, p) == RecordReader::Result::Record)
            ++good;
        QCOMPARE(good, 198);
    }

    void progressReachesFileSize()
    {
        QByteArray input("id,a\n");
        for (int i = 0; i < 1000; ++i)
            input += QByteArray::number(i) + ",value\n";
        ReaderLimits limits;
        limits.chunkBytes = 100;
        auto reader = RecordReader::openBytes(input, InputFormat::Csv, QStringLiteral("p.csv"), limits);
        Record rec;
        RowProblem p;
        qint64 last = 0;
        while (reader->next(rec, p) == RecordReader::Result::Record) {
            QVERIFY(reader->bytesRead() >= last);
            last = reader->bytesRead();
        }
        QCOMPARE(reader->bytesRead(), reader->fileSize());
        QCOMPARE(reader->rowsSeen(), 1000);
    }

    void unreadableFileIsFatal()
    {
        auto reader = RecordReader::openFile(QStringLiteral("/nonexistent/headroom.csv"), InputFormat::Csv);
        Record rec;
        RowProblem p;
        QCOMPARE(reader->next(rec, p), RecordReader::Result::Fatal);
        QVERIFY(reader->fatal().message.startsWith(QLatin1String("cannot open")));
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
