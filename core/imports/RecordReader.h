#pragma once

#include "core/imports/ByteStream.h"
#include "core/imports/Record.h"
#include "core/imports/RowProblem.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace headroom::imports {

enum class InputFormat { Auto,
                         Csv,
                         JsonLines,
                         JsonArray };

struct ReaderLimits
{
    qsizetype chunkBytes = ByteStream::kDefaultChunk;
    qsizetype maxRecordBytes = 1 << 20; // a record (or line) longer than this is a bad row
    char delimiter = 0;                 // CSV: 0 = detect among , ; and tab
};

// A streaming reader of records. next() yields good records and bad ones (as a
// RowProblem carrying the row's number) one at a time, so one bad row never
// stops the good ones; a file-level error (cannot open, empty, not an array)
// ends the read with fatal().
class RecordReader
{
public:
    enum class Result { Record,
                        Problem,
                        End,
                        Fatal };

    virtual ~RecordReader() = default;

    virtual Result next(Record &record, RowProblem &problem) = 0;

    // CSV header names (UTF-8); empty for JSON formats. Valid once next() was called.
    QList<QByteArray> columns() const { return m_columns; }
    const RowProblem &fatal() const { return m_fatal; }
    qint64 bytesRead() const { return m_stream.consumedBytes(); }
    qint64 fileSize() const { return m_stream.totalBytes(); }
    qint64 rowsSeen() const { return m_row; }
    QString fileName() const { return m_file; }

    // "csv", "jsonl" (or "ndjson") and "json", any case, as --format and the
    // run settings spell them; an empty name is Auto; nullopt for anything else.
    static std::optional<InputFormat> formatFromName(QStringView name);

    // Picks the reader from the format, or from the extension and first byte.
    static std::unique_ptr<RecordReader> openFile(const QString &path, InputFormat format,
                                                  const ReaderLimits &limits = {});
    static std::unique_ptr<RecordReader> openBytes(const QByteArray &bytes, InputFormat format,
                                                   const QString &name,
                                                   const ReaderLimits &limits = {});

protected:
    explicit RecordReader(const ReaderLimits &limits)
        : m_stream(limits.chunkBytes)
        , m_limits(limits)
    {
    }

    Result fail(qint64 line, int column, const QString &message);
    void makeProblem(RowProblem &problem, qint64 row, qint64 line, int column,
                     const QString &message, QByteArrayView raw) const;
    // Line and column of byte `offset` in `text`, where text[0] is on line `firstLine`.
    static void locate(QByteArrayView text, qint64 firstLine, qsizetype offset,
                       qint64 *line, int *column);

    ByteStream m_stream;
    ReaderLimits m_limits;
    QString m_file;
    QList<QByteArray> m_columns;
    RowProblem m_fatal;
    qint64 m_row = 0;  // last data-row number handed out
    qint64 m_line = 1; // line of the next unconsumed byte
    bool m_finished = false;
};

} // namespace headroom::imports
