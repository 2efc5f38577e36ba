#include "core/run/JournalRecord.h"

#include <array>

namespace headroom::run {

namespace {

constexpr std::array<quint32, 256> makeCrcTable()
{
    std::array<quint32, 256> table{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}

constexpr std::array<quint32, 256> kCrcTable = makeCrcTable();

bool isKind(char c)
{
    return c == 'S' || c == 'D' || c == 'F';
}

} // namespace

quint32 JournalRecord::crc32(QByteArrayView bytes)
{
    quint32 c = 0xFFFFFFFFu;
    for (const char ch : bytes)
        c = kCrcTable[(c ^ quint8(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

QByteArray JournalRecord::encode() const
{
    return encode(kind, rows);
}

QByteArray JournalRecord::encode(Kind kind, const RowRangeSet &rows)
{
    QByteArray line;
    line.reserve(32);
    appendEncoded(line, kind, rows);
    return line;
}

void JournalRecord::appendEncoded(QByteArray &out, Kind kind, const RowRangeSet &rows)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const qsizetype start = out.size();
    out += char(kind);
    out += ' ';
    rows.appendText(out);
    const quint32 crc = crc32(QByteArrayView(out).sliced(start));
    char tail[10];
    tail[0] = ' ';
    for (int i = 0; i < 8; ++i)
        tail[1 + i] = kHex[(crc >> (28 - 4 * i)) & 0xf];
    tail[9] = '\n';
    out.append(tail, sizeof tail);
}

std::optional<JournalRecord> JournalRecord::decode(QByteArrayView line)
{
    // Shortest: "D 1 xxxxxxxx".
    if (line.size() < 12 || !isKind(line[0]) || line[1] != ' ' || line[line.size() - 9] != ' ')
        return std::nullopt;
    const QByteArrayView payload = line.first(line.size() - 9);
    const QByteArrayView crcText = line.last(8);
    bool ok = false;
    const quint32 crc = QByteArray(crcText.data(), crcText.size()).toUInt(&ok, 16);
    if (!ok || crc != crc32(payload))
        return std::nullopt;
    std::optional<RowRangeSet> rows = RowRangeSet::parse(payload.sliced(2));
    if (!rows || rows->isEmpty())
        return std::nullopt;
    JournalRecord record;
    record.kind = Kind(line[0]);
    record.rows = std::move(*rows);
    return record;
}

} // namespace headroom::run
