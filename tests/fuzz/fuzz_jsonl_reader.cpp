// libFuzzer target for the JSON Lines and streamed JSON-array readers, and the
// mapping behind them (attributes from JSON values, request files). The first
// input byte picks the format, the chunk size, the record cap and the profile.
// Invariants: every row is in a call, reported or skipped; rows are positive;
// the reader never reads past the input.
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
    o.filePath = QStringLiteral("fuzz.jsonl");
    o.format = (knobs & 0x01) ? InputFormat::JsonArray : InputFormat::JsonLines;
    o.limits.chunkBytes = 16 + ((knobs >> 1) & 0x07) * 9;
    o.limits.maxRecordBytes = (knobs & 0x10) ? 96 : 8192;
    static const char *const kProfiles[] = {"customerio-track", "generic", "segment-tracking", "customerio-app"};
    o.profile = QLatin1String(kProfiles[(knobs >> 5) & 0x03]);
    o.batching = knobs & 0x80;
    if (o.profile == QLatin1String("customerio-app")) {
        Mapping m;
        m.transactionalMessageId = "1";
        o.mapping = m;
    }

    CallSource source(o);
    if (!source.open())
        return 0;
    qint64 rowsInCalls = 0;
    while (const auto call = source.next()) {
        if (call->rows.isEmpty() || call->rows.size() != call->lines.size())
            std::abort();
        for (const qint64 row : call->rows) {
            if (row <= 0)
                std::abort();
        }
        rowsInCalls += call->rows.size();
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
