// libFuzzer target for the CSV reader and everything behind it in an import:
// mapping (with typed columns), payload rules, batching, splitting and
// response mapping. The first input byte picks the chunk size, the record cap
// and the profile, so records straddle chunk boundaries in every way.
// Invariants checked: rows come in increasing order, every row is either in
// a call or reported (or skipped), and the reader never reads past the input.
#include "core/imports/CallSource.h"

#include <QByteArray>

#include <cstdint>
#include <cstdlib>

using namespace headroom::imports;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t knobs = data[0];
    CallSourceOptions o;
    o.bytes = QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (o.bytes.isEmpty())
        return 0;
    o.filePath = QStringLiteral("fuzz.csv");
    o.format = InputFormat::Csv;
    o.limits.chunkBytes = 16 + (knobs & 0x0f) * 7;
    o.limits.maxRecordBytes = (knobs & 0x10) ? 64 : 4096;
    o.profile = (knobs & 0x20) ? QStringLiteral("segment-tracking") : QStringLiteral("customerio-track");
    o.batching = knobs & 0x40;
    if (knobs & 0x80) {
        Mapping m;
        m.columns.insert("n", ColumnSpec{ColumnType::Number, {}});
        m.columns.insert("b", ColumnSpec{ColumnType::Boolean, {}});
        m.columns.insert("t", ColumnSpec{ColumnType::Timestamp, {}});
        m.onlyListedColumns = false;
        o.mapping = m;
    }
    o.skip = [](qint64 row) { return row % 11 == 5; };

    CallSource source(o);
    if (!source.open())
        return 0;
    qint64 lastRow = 0;
    qint64 rowsInCalls = 0;
    while (const auto call = source.next()) {
        if (call->rows.isEmpty() || call->rows.size() != call->lines.size())
            std::abort();
        for (const qint64 row : call->rows) {
            if (row <= 0)
                std::abort();
            lastRow = qMax(lastRow, row);
        }
        rowsInCalls += call->rows.size();
        if (source.batcher() && call->operation == QLatin1String("batch")) {
            const Batcher &b = *source.batcher();
            for (const ApiCall &half : b.split(*call)) {
                if (half.rows.isEmpty())
                    std::abort();
            }
            const BatchResult r = b.mapResponse(*call, 400, R"({"errors":[{"batch_index":0,"reason":"x"}]})");
            if (r.rows.size() != call->rows.size())
                std::abort();
        }
        if (source.bytesRead() > source.fileSize())
            std::abort();
    }
    source.takeProblems();
    if (const auto total = source.totalRows()) {
        if (rowsInCalls + source.badRows() + source.skippedRows() != *total)
            std::abort();
    }
    return 0;
}
