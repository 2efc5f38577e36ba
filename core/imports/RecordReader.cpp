#include "core/imports/RecordReader.h"

#include "core/imports/CsvReader.h"
#include "core/imports/JsonArrayReader.h"
#include "core/imports/JsonLinesReader.h"
#include "core/imports/Utf8Validation.h"

#include <QFile>
#include <QFileInfo>

namespace headroom::imports {

namespace {

// The first byte that is not whitespace or a BOM decides between the formats.
InputFormat sniff(QByteArrayView head)
{
    if (head.startsWith("\xEF\xBB\xBF"))
        head = head.sliced(3);
    for (const char c : head) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '[')
            return InputFormat::JsonArray;
        if (c == '{')
            return InputFormat::JsonLines;
        break;
    }
    return InputFormat::Csv;
}

InputFormat fromExtension(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv") || suffix == QLatin1String("tsv"))
        return InputFormat::Csv;
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson"))
        return InputFormat::JsonLines;
    return InputFormat::Auto;
}

std::unique_ptr<RecordReader> make(InputFormat format, const ReaderLimits &limits)
{
    switch (format) {
    case InputFormat::JsonLines:
        return std::make_unique<JsonLinesReader>(limits);
    case InputFormat::JsonArray:
        return std::make_unique<JsonArrayReader>(limits);
    case InputFormat::Csv:
    case InputFormat::Auto:
        break;
    }
    return std::make_unique<CsvReader>(limits);
}

} // namespace

std::optional<InputFormat> RecordReader::formatFromName(QStringView name)
{
    if (name.isEmpty())
        return InputFormat::Auto;
    if (name.compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0)
        return InputFormat::Csv;
    if (name.compare(QLatin1String("jsonl"), Qt::CaseInsensitive) == 0
        || name.compare(QLatin1String("ndjson"), Qt::CaseInsensitive) == 0)
        return InputFormat::JsonLines;
    if (name.compare(QLatin1String("json"), Qt::CaseInsensitive) == 0)
        return InputFormat::JsonArray;
    return std::nullopt;
}

std::unique_ptr<RecordReader> RecordReader::openFile(const QString &path, InputFormat format,
                                                     const ReaderLimits &limits)
{
    if (format == InputFormat::Auto)
        format = fromExtension(path);
    if (format == InputFormat::Auto) {
        QFile probe(path);
        if (probe.open(QIODevice::ReadOnly))
            format = sniff(probe.read(4096));
    }
    auto reader = make(format, limits);
    reader->m_file = path;
    if (!reader->m_stream.openFile(path))
        reader->fail(0, 0, reader->m_stream.errorString());
    return reader;
}

std::unique_ptr<RecordReader> RecordReader::openBytes(const QByteArray &bytes, InputFormat format,
                                                      const QString &name, const ReaderLimits &limits)
{
    if (format == InputFormat::Auto)
        format = fromExtension(name);
    if (format == InputFormat::Auto)
        format = sniff(QByteArrayView(bytes).first(qMin<qsizetype>(bytes.size(), 4096)));
    auto reader = make(format, limits);
    reader->m_file = name;
    reader->m_stream.openBytes(bytes);
    return reader;
}

RecordReader::Result RecordReader::fail(qint64 line, int column, const QString &message)
{
    m_fatal = RowProblem{0, line, column, m_file, message, {}};
    m_finished = true;
    return Result::Fatal;
}

void RecordReader::makeProblem(RowProblem &problem, qint64 row, qint64 line, int column,
                               const QString &message, QByteArrayView raw) const
{
    problem.row = row;
    problem.line = line;
    problem.column = column;
    problem.file = m_file;
    problem.message = message;
    problem.raw = raw.first(qMin(raw.size(), RowProblem::kRawLimit)).toByteArray();
}

void RecordReader::locate(QByteArrayView text, qint64 firstLine, qsizetype offset, qint64 *line,
                          int *column)
{
    qint64 l = firstLine;
    qsizetype lineStart = 0;
    offset = qBound<qsizetype>(0, offset, text.size());
    for (qsizetype i = 0; i < offset; ++i) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
            ++l;
            lineStart = i + 1;
        }
    }
    *line = l;
    *column = Utf8Validation::column(text, lineStart, offset);
}

} // namespace headroom::imports
