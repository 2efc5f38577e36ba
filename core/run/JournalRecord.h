#pragma once

#include "core/run/RowRangeSet.h"

#include <QByteArray>

#include <optional>

namespace headroom::run {

// One line of the run journal: what happened to a set of rows, and a CRC-32
// of the line so a torn or damaged record is recognised, not believed.
//   "<kind> <ranges> <crc32 hex>\n"   e.g. "D 1-250,260 3f2a9c01\n"
// kind: S (sent), D (done), F (failed: dead-lettered).
struct JournalRecord
{
    enum class Kind : char { Sent = 'S',
                             Done = 'D',
                             Failed = 'F' };

    Kind kind = Kind::Sent;
    RowRangeSet rows;

    QByteArray encode() const;
    static QByteArray encode(Kind kind, const RowRangeSet &rows);
    static void appendEncoded(QByteArray &out, Kind kind, const RowRangeSet &rows);
    // `line` without its '\n'. nullopt when it is not a whole, intact record.
    static std::optional<JournalRecord> decode(QByteArrayView line);
    static quint32 crc32(QByteArrayView bytes);
};

} // namespace headroom::run
