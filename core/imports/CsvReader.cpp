#include "core/imports/CsvReader.h"

#include "core/imports/Utf8Validation.h"

#include <QCoreApplication>
#include <QHash>

#include <cstring>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

// Byte offset where field `index` (0-based) starts in a raw record, honouring quotes.
qsizetype fieldOffset(QByteArrayView raw, char delimiter, int index)
{
    bool quoted = false;
    int field = 0;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '"')
            quoted = !quoted;
        else if (c == delimiter && !quoted && ++field == index)
            return i + 1;
    }
    return raw.size();
}

QByteArrayView withoutLineEnd(QByteArrayView raw)
{
    while (!raw.isEmpty() && (raw.back() == '\n' || raw.back() == '\r'))
        raw.chop(1);
    return raw;
}

} // namespace

CsvReader::CsvReader(const ReaderLimits &limits)
    : RecordReader(limits)
    , m_delimiter(limits.delimiter)
{
}

qint64 CsvReader::countLines(QByteArrayView bytes)
{
    qint64 lines = 0;
    const char *p = bytes.data();
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (p[i] == '\n')
            ++lines;
        else if (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'))
            ++lines;
    }
    return lines;
}

CsvReader::Parse CsvReader::parse(QByteArrayView w, bool eof, Record &rec, qsizetype *consumed,
                                  bool *blank, ParseError *error) const
{
    rec.data.resize(0);
    rec.fields.resize(0);
    // Views into `data` must survive later appends: reserve the worst case up front.
    if (rec.data.capacity() < w.size())
        rec.data.reserve(w.size());
    const char *p = w.data();
    const qsizetype n = w.size();
    const char d = m_delimiter;
    qsizetype i = 0;
    bool anyQuote = false;
    error->offset = -1;
    for (;;) {
        if (i < n && p[i] == '"') {
            anyQuote = true;
            const qsizetype open = i;
            const qsizetype fieldStart = rec.data.size();
            ++i;
            for (;;) {
                const void *q = std::memchr(p + i, '"', size_t(n - i));
                if (!q) {
                    error->offset = open;
                    if (!eof)
                        return Parse::NeedMore;
                    error->message = tr("unterminated quoted field: expected a closing '\"' before the end of the file");
                    return Parse::Error;
                }
                const qsizetype qi = static_cast<const char *>(q) - p;
                rec.data.append(p + i, qi - i);
                i = qi + 1;
                if (i == n) {
                    if (!eof) {
                        error->offset = open;
                        return Parse::NeedMore;
                    }
                    break;
                }
                if (p[i] == '"') {
                    rec.data.append('"');
                    ++i;
                    continue;
                }
                break;
            }
            if (i < n && p[i] != d && p[i] != '\r' && p[i] != '\n') {
                error->offset = i;
                error->message = tr("expected a delimiter or the end of the line after a closing quote");
                return Parse::Error;
            }
            rec.fields.append(QByteArrayView(rec.data.constData() + fieldStart, rec.data.size() - fieldStart));
        } else {
            qsizetype j = i;
            while (j < n) {
                const char c = p[j];
                if (c == d || c == '\r' || c == '\n')
                    break;
                ++j;
            }
            rec.fields.append(QByteArrayView(p + i, j - i));
            i = j;
        }
        if (i == n) {
            if (!eof)
                return Parse::NeedMore;
            *consumed = i;
            break;
        }
        const char c = p[i];
        if (c == d) {
            ++i;
            continue;
        }
        if (c == '\r') {
            if (i + 1 < n)
                i += p[i + 1] == '\n' ? 2 : 1;
            else if (!eof)
                return Parse::NeedMore;
            else
                ++i;
        } else {
            ++i;
        }
        *consumed = i;
        break;
    }
    *blank = !anyQuote && rec.fields.size() == 1 && rec.fields.front().isEmpty();
    return Parse::Done;
}

void CsvReader::detectDelimiter()
{
    if (m_delimiter != 0)
        return;
    const QByteArrayView w = m_stream.window().first(qMin<qsizetype>(m_stream.available(), 64 * 1024));
    int commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (const char c : w) {
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ',')
            ++commas;
        else if (c == ';')
            ++semicolons;
        else if (c == '\t')
            ++tabs;
    }
    m_delimiter = ',';
    if (semicolons > commas && semicolons >= tabs)
        m_delimiter = ';';
    else if (tabs > commas && tabs > semicolons)
        m_delimiter = '\t';
}

void CsvReader::skipLine(qsizetype from)
{
    for (;;) {
        const QByteArrayView w = m_stream.window();
        if (from < w.size()) {
            const void *nl = std::memchr(w.data() + from, '\n', size_t(w.size() - from));
            if (nl) {
                const qsizetype end = static_cast<const char *>(nl) - w.data() + 1;
                m_line += countLines(w.first(end));
                m_stream.consume(end);
                return;
            }
        }
        m_line += countLines(w);
        m_stream.consume(w.size());
        from = 0;
        if (!m_stream.fill())
            return;
    }
}

int CsvReader::headerColumn(QByteArrayView header, int field)
{
    const qsizetype offset = fieldOffset(header, m_delimiter, field);
    m_headerBytesScanned += 2 * offset; // the field's offset, then its character column
    return Utf8Validation::column(header, 0, offset);
}

RecordReader::Result CsvReader::readHeader(Record &scratch, RowProblem &problem)
{
    Q_UNUSED(problem);
    m_stream.skipBom();
    if (m_stream.available() == 0)
        m_stream.fill();
    detectDelimiter();
    for (;;) {
        if (m_stream.available() == 0 && m_stream.atEof()) {
            if (m_stream.failed())
                return fail(0, 0, m_stream.errorString());
            return fail(0, 0, tr("empty file: expected a header line naming the columns"));
        }
        qsizetype consumed = 0;
        bool blank = false;
        ParseError error;
        const QByteArrayView w = m_stream.window();
        const Parse r = parse(w, m_stream.atEof(), scratch, &consumed, &blank, &error);
        if (r == Parse::NeedMore) {
            if (w.size() > m_limits.maxRecordBytes)
                return fail(m_line, 1, tr("header line longer than %1 bytes").arg(m_limits.maxRecordBytes));
            m_stream.fill();
            continue;
        }
        if (r == Parse::Error) {
            qint64 line;
            int column;
            locate(w, m_line, error.offset, &line, &column);
            return fail(line, column, tr("header: %1").arg(error.message));
        }
        if (blank) {
            m_line += countLines(w.first(consumed));
            m_stream.consume(consumed);
            continue;
        }
        const qsizetype bad = Utf8Validation::firstInvalid(w.first(consumed));
        if (bad >= 0) {
            qint64 line;
            int column;
            locate(w, m_line, bad, &line, &column);
            return fail(line, column, tr("header: invalid UTF-8"));
        }
        QHash<QByteArray, int> seen;
        seen.reserve(scratch.fieldCount());
        m_columns.clear();
        m_headerBytesScanned += consumed;
        for (int f = 0; f < scratch.fieldCount(); ++f) {
            const QByteArray name = scratch.field(f).toByteArray();
            // The character column is looked up only for the one error told:
            // computing it for every field scanned the line from its start
            // each time, quadratic in the number of columns.
            if (name.isEmpty())
                return fail(m_line, headerColumn(w, f), tr("header: column %1 has no name").arg(f + 1));
            const auto it = seen.constFind(name);
            if (it != seen.constEnd())
                return fail(m_line, headerColumn(w, f), tr("header: duplicate column name '%1' (also column %2)").arg(QString::fromUtf8(name)).arg(it.value() + 1));
            seen.insert(name, f);
            m_columns.append(name);
        }
        m_line += countLines(w.first(consumed));
        m_stream.consume(consumed);
        return Result::Record;
    }
}

RecordReader::Result CsvReader::next(Record &record, RowProblem &problem)
{
    if (m_finished)
        return m_fatal.message.isEmpty() ? Result::End : Result::Fatal;
    record.isJson = false;
    if (!m_started) {
        m_started = true;
        const Result header = readHeader(record, problem);
        if (header != Result::Record)
            return header;
    }
    for (;;) {
        if (m_stream.available() == 0 && !m_stream.fill()) {
            if (m_stream.failed())
                return fail(m_line, 0, m_stream.errorString());
            m_finished = true;
            return Result::End;
        }
        const QByteArrayView w = m_stream.window();
        qsizetype consumed = 0;
        bool blank = false;
        ParseError error;
        const Parse r = parse(w, m_stream.atEof(), record, &consumed, &blank, &error);
        if (r == Parse::NeedMore) {
            if (w.size() <= m_limits.maxRecordBytes) {
                m_stream.fill();
                continue;
            }
            // Over the cap: a runaway quote or one enormous line. Report it as one
            // bad row and resume on the line after where it went wrong.
            const qint64 row = ++m_row;
            const qint64 startLine = m_line;
            if (error.offset >= 0) {
                qint64 line;
                int column;
                locate(w, m_line, error.offset, &line, &column);
                makeProblem(problem, row, line, column,
                            tr("quoted field not closed within %1 bytes: unterminated quote?")
                                .arg(m_limits.maxRecordBytes),
                            w.first(qMin(w.size(), RowProblem::kRawLimit)));
                skipLine(error.offset);
            } else {
                makeProblem(problem, row, startLine, 0,
                            tr("record longer than the %1-byte cap").arg(m_limits.maxRecordBytes),
                            w.first(qMin(w.size(), RowProblem::kRawLimit)));
                skipLine(0);
            }
            return Result::Problem;
        }
        if (r == Parse::Error) {
            const qint64 row = ++m_row;
            qint64 line;
            int column;
            locate(w, m_line, error.offset, &line, &column);
            makeProblem(problem, row, line, column, error.message,
                        withoutLineEnd(w.first(qMin(w.size(), RowProblem::kRawLimit))));
            // An unterminated quote at the end of the file swallowed the rest of it;
            // anything else resumes on the line after the error.
            skipLine(error.offset);
            return Result::Problem;
        }
        const QByteArrayView raw = w.first(consumed);
        const qint64 startLine = m_line;
        if (blank) {
            m_line += countLines(raw);
            m_stream.consume(consumed);
            continue;
        }
        record.row = ++m_row;
        record.line = startLine;
        record.raw = withoutLineEnd(raw);
        m_line += countLines(raw);
        m_stream.consume(consumed);

        if (consumed > m_limits.maxRecordBytes) {
            makeProblem(problem, record.row, startLine, 0,
                        tr("record longer than the %1-byte cap").arg(m_limits.maxRecordBytes), record.raw);
            return Result::Problem;
        }
        const qsizetype bad = Utf8Validation::firstInvalid(raw);
        if (bad >= 0) {
            qint64 line;
            int column;
            locate(raw, startLine, bad, &line, &column);
            makeProblem(problem, record.row, line, column, tr("invalid UTF-8"), record.raw);
            return Result::Problem;
        }
        const int expected = int(m_columns.size());
        if (record.fieldCount() != expected) {
            const qsizetype at = record.fieldCount() > expected
                                     ? fieldOffset(raw, m_delimiter, expected)
                                     : record.raw.size();
            qint64 line;
            int column;
            locate(raw, startLine, at, &line, &column);
            makeProblem(problem, record.row, line, column,
                        tr("ragged row: expected %1 fields as in the header, found %2")
                            .arg(expected)
                            .arg(record.fieldCount()),
                        record.raw);
            return Result::Problem;
        }
        return Result::Record;
    }
}

} // namespace headroom::imports
