// A CSV whose header has tens of thousands of columns (issue 18, item 8): the
// header's checks must do work linear in its length. Measured in bytes the
// reader scanned, never in seconds.
#include "core/imports/CsvReader.h"
#include "core/imports/RecordReader.h"

#include <QtTest>

using namespace headroom::imports;

namespace {

QByteArray header(int columns, bool duplicateLast)
{
    QByteArray out;
    out.reserve(qsizetype(columns) * 12);
    for (int c = 0; c < columns; ++c) {
        if (c > 0)
            out += ',';
        out += "col" + QByteArray::number(duplicateLast && c == columns - 1 ? 0 : c);
    }
    out += '\n';
    return out;
}

struct HeaderRead
{
    RecordReader::Result result = RecordReader::Result::End;
    QString fatal;
    qsizetype columns = 0;
    qint64 scanned = 0;
    qsizetype bytes = 0;
};

HeaderRead readHeader(int columns, bool duplicateLast)
{
    QByteArray bytes = header(columns, duplicateLast);
    bytes += QByteArray("x,").repeated(columns - 1) + "x\n";
    ReaderLimits limits;
    limits.maxRecordBytes = 4 << 20;
    auto reader = RecordReader::openBytes(bytes, InputFormat::Csv, QStringLiteral("wide.csv"), limits);
    auto *csv = dynamic_cast<CsvReader *>(reader.get());
    HeaderRead out;
    if (!csv)
        return out;
    Record record;
    RowProblem problem;
    out.result = csv->next(record, problem);
    out.fatal = out.result == RecordReader::Result::Fatal ? csv->fatal().message : QString();
    out.columns = csv->columns().size();
    out.scanned = csv->headerBytesScanned();
    out.bytes = header(columns, duplicateLast).size();
    return out;
}

} // namespace

class TestHostileCsvHeader : public QObject
{
    Q_OBJECT

private slots:
    void wideHeaderIsReadWhole()
    {
        const HeaderRead r = readHeader(40000, false);
        QCOMPARE(r.result, RecordReader::Result::Record);
        QCOMPARE(r.columns, 40000);
        QVERIFY2(r.scanned <= 2 * r.bytes, qPrintable(QString::number(r.scanned)));
    }

    // The error that names a column is the costly path: one placement, not
    // one per column.
    void duplicateInTheLastColumnIsPlacedInLinearWork()
    {
        const HeaderRead small = readHeader(10000, true);
        const HeaderRead large = readHeader(40000, true);
        QCOMPARE(large.result, RecordReader::Result::Fatal);
        QVERIFY2(large.fatal.contains(QStringLiteral("duplicate column name 'col0' (also column 1)")),
                 qPrintable(large.fatal));
        QVERIFY(small.scanned > 0);
        // Four times the columns, about four times the bytes: linear work is
        // within a constant of the header's size; quadratic work would be
        // ~16 times the small header's and thousands of times its size.
        QVERIFY2(large.scanned <= 4 * large.bytes, qPrintable(QString::number(large.scanned)));
        const double ratio = double(large.scanned) / double(small.scanned);
        const double sizeRatio = double(large.bytes) / double(small.bytes);
        QVERIFY2(ratio <= 1.1 * sizeRatio, qPrintable(QString::number(ratio)));
    }
};

QTEST_GUILESS_MAIN(TestHostileCsvHeader)
#include "tst_hostile_csv_header.moc"
