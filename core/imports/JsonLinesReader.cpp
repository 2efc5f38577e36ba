#include "core/imports/JsonLinesReader.h"

#include "core/imports/Utf8Validation.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cstring>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

bool isBlank(QByteArrayView line)
{
    for (const char c : line) {
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}

} // namespace

JsonLinesReader::JsonLinesReader(const ReaderLimits &limits)
    : RecordReader(limits)
{
}

RecordReader::Result JsonLinesReader::next(Record &record, RowProblem &problem)
{
    if (m_finished)
        return m_fatal.message.isEmpty() ? Result::End : Result::Fatal;
    record.isJson = true;
    if (!m_started) {
        m_started = true;
        m_stream.skipBom();
        if (m_stream.available() == 0 && !m_stream.fill()) {
            if (m_stream.failed())
                return fail(0, 0, m_stream.errorString());
            return fail(0, 0, tr("empty file: expected one JSON object per line"));
        }
    }
    for (;;) {
        if (m_stream.available() == 0 && !m_stream.fill()) {
            if (m_stream.failed())
                return fail(m_line, 0, m_stream.errorString());
            m_finished = true;
            if (m_row == 0)
                return fail(0, 0, tr("empty file: expected one JSON object per line"));
            return Result::End;
        }
        const QByteArrayView w = m_stream.window();
        const void *nl = std::memchr(w.data(), '\n', size_t(w.size()));
        if (m_skipping) {
            // Dropping the rest of an over-long line that was already reported.
            if (!nl) {
                m_stream.consume(w.size());
                m_stream.fill();
                continue;
            }
            m_stream.consume(static_cast<const char *>(nl) - w.data() + 1);
            ++m_line;
            m_skipping = false;
            continue;
        }
        if (!nl && !m_stream.atEof()) {
            if (w.size() > m_limits.maxRecordBytes) {
                makeProblem(problem, ++m_row, m_line, 0,
                            tr("line longer than the %1-byte cap").arg(m_limits.maxRecordBytes),
                            w);
                m_stream.consume(w.size());
                m_skipping = true;
                return Result::Problem;
            }
            m_stream.fill();
            continue;
        }
        const qsizetype length = nl ? static_cast<const char *>(nl) - w.data() + 1 : w.size();
        QByteArrayView line = w.first(length);
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
        const qint64 lineNo = m_line;
        if (nl)
            ++m_line;
        m_stream.consume(length);
        if (isBlank(line))
            continue;

        record.row = ++m_row;
        record.line = lineNo;
        record.raw = line;
        if (line.size() > m_limits.maxRecordBytes) {
            makeProblem(problem, record.row, lineNo, 0,
                        tr("line longer than the %1-byte cap").arg(m_limits.maxRecordBytes), line);
            return Result::Problem;
        }
        const qsizetype bad = Utf8Validation::firstInvalid(line);
        if (bad >= 0) {
            makeProblem(problem, record.row, lineNo, Utf8Validation::column(line, 0, bad),
                        tr("invalid UTF-8"), line);
            return Result::Problem;
        }
        qsizetype first = 0;
        while (line[first] == ' ' || line[first] == '\t')
            ++first;
        if (line[first] != '{') {
            makeProblem(problem, record.row, lineNo, Utf8Validation::column(line, 0, first),
                        tr("expected a JSON object, found %1")
                            .arg(line[first] == '[' ? tr("an array") : tr("a plain value")),
                        line);
            return Result::Problem;
        }
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &error);
        if (error.error != QJsonParseError::NoError) {
            // Qt reports the offset just past the offending character.
            const qsizetype at = qBound(qsizetype(0), qsizetype(error.offset) - 1, line.size());
            makeProblem(problem, record.row, lineNo, Utf8Validation::column(line, 0, at),
                        tr("invalid JSON: %1").arg(error.errorString()), line);
            return Result::Problem;
        }
        record.object = doc.object();
        return Result::Record;
    }
}

} // namespace headroom::imports
