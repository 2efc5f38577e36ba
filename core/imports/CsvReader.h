#pragma once

#include "core/imports/RecordReader.h"

namespace headroom::imports {

// RFC 4180 CSV, streamed: quoted fields, doubled quotes, newlines inside quotes,
// CRLF / LF (and a lone CR), a UTF-8 BOM, the delimiter detected among , ; and
// tab from the header. The first record is the header. Blank lines are skipped.
// A bad record (unterminated quote, ragged row, invalid UTF-8, junk after a
// closing quote, a record over the size cap) is reported and reading goes on.
class CsvReader : public RecordReader
{
public:
    explicit CsvReader(const ReaderLimits &limits);

    Result next(Record &record, RowProblem &problem) override;
    char delimiter() const { return m_delimiter; }
    // Bytes the header's checks looked at (the header line, plus the scans
    // that place an error at its column): the measure of work that tests
    // hold linear in the header's length.
    qint64 headerBytesScanned() const { return m_headerBytesScanned; }

private:
    enum class Parse { Done,
                       NeedMore,
                       Error };
    struct ParseError
    {
        qsizetype offset = 0;
        QString message;
        qsizetype resumeAt = -1; // where to continue after the error; -1 = next newline
    };

    Parse parse(QByteArrayView window, bool eof, Record &record, qsizetype *consumed,
                bool *blank, ParseError *error) const;
    void detectDelimiter();
    Result readHeader(Record &scratch, RowProblem &problem);
    // Skips to just past the next newline, reading more chunks as needed.
    void skipLine(qsizetype from);
    static qint64 countLines(QByteArrayView bytes);
    // 1-based character column where header field `field` starts.
    int headerColumn(QByteArrayView header, int field);

    char m_delimiter = 0;
    bool m_started = false;
    qint64 m_headerBytesScanned = 0;
};

} // namespace headroom::imports
