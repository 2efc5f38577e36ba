#include "core/imports/JsonArrayReader.h"

#include "core/imports/Utf8Validation.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

void JsonArrayReader::countLines(QByteArrayView consumed)
{
    const qint64 base = m_stream.consumedBytes();
    for (qsizetype i = 0; i < consumed.size(); ++i) {
        if (consumed[i] == '\n') {
            ++m_line;
            m_lineStart = base + i + 1;
        }
    }
}

JsonArrayReader::JsonArrayReader(const ReaderLimits &limits)
    : RecordReader(limits)
{
}

bool JsonArrayReader::skipSpace()
{
    for (;;) {
        if (m_stream.available() == 0 && !m_stream.fill())
            return false;
        const QByteArrayView w = m_stream.window();
        qsizetype i = 0;
        while (i < w.size() && isSpace(w[i]))
            ++i;
        countLines(w.first(i));
        m_stream.consume(i);
        if (i < w.size())
            return true;
    }
}

qsizetype JsonArrayReader::scanElement(bool *truncated)
{
    const QByteArrayView w = m_stream.window();
    const char *p = w.data();
    const qsizetype n = w.size();
    *truncated = false;
    for (qsizetype i = m_scan; i < n; ++i) {
        const char c = p[i];
        if (m_inString) {
            if (m_escape)
                m_escape = false;
            else if (c == '\\')
                m_escape = true;
            else if (c == '"') {
                m_inString = false;
                if (m_depth == 0)
                    return i + 1;
            }
            continue;
        }
        if (c == '"') {
            m_inString = true;
        } else if (c == '{' || c == '[') {
            ++m_depth;
        } else if (c == '}' || c == ']') {
            if (m_depth == 0)
                return qMax<qsizetype>(i, 1); // a plain value ended by ']' (or a stray bracket)
            if (--m_depth == 0)
                return i + 1;
        } else if (m_depth == 0 && (c == ',' || isSpace(c))) {
            return qMax<qsizetype>(i, 1);
        }
    }
    m_scan = n;
    if (m_stream.atEof() && m_depth == 0 && !m_inString && n > 0)
        return n; // a plain value running to the end of the file
    *truncated = true;
    return -1;
}

RecordReader::Result JsonArrayReader::next(Record &record, RowProblem &problem)
{
    if (m_finished)
        return m_fatal.message.isEmpty() ? Result::End : Result::Fatal;
    record.isJson = true;
    // Each step moves the state on, or answers: a record, a problem, the end
    // or a fatal error. A step that only consumes punctuation loops again.
    for (;;) {
        std::optional<Result> result;
        switch (m_state) {
        case State::BeforeArray:
            result = openArray();
            break;
        case State::AfterElement:
            result = afterElement();
            break;
        case State::BeforeElement:
            result = beforeElement(record, problem);
            break;
        case State::Done:
            result = afterArray();
            break;
        }
        if (result)
            return *result;
    }
}

std::optional<RecordReader::Result> JsonArrayReader::openArray()
{
    m_stream.skipBom();
    if (!skipSpace()) {
        if (m_stream.failed())
            return fail(0, 0, m_stream.errorString());
        return fail(0, 0, tr("empty file: expected a JSON array"));
    }
    if (m_stream.window()[0] != '[')
        return fail(m_line, column(), tr("expected '[' to open a JSON array"));
    m_stream.consume(1);
    m_state = State::BeforeElement;
    return std::nullopt;
}

std::optional<RecordReader::Result> JsonArrayReader::afterElement()
{
    if (!skipSpace())
        return fail(m_line, column(), tr("unexpected end of file: expected ',' or ']' after an array element"));
    const char c = m_stream.window()[0];
    if (c == ',') {
        m_stream.consume(1);
        m_state = State::BeforeElement;
    } else if (c == ']') {
        m_stream.consume(1);
        m_state = State::Done;
    } else {
        return fail(m_line, column(), tr("expected ',' or ']' after an array element, found '%1'").arg(QLatin1Char(c)));
    }
    return std::nullopt;
}

std::optional<RecordReader::Result> JsonArrayReader::afterArray()
{
    if (skipSpace())
        return fail(m_line, column(), tr("unexpected data after the closing ']' of the array"));
    m_finished = true;
    return Result::End;
}

std::optional<RecordReader::Result> JsonArrayReader::beforeElement(Record &record, RowProblem &problem)
{
    if (!skipSpace())
        return fail(m_line, column(), tr("unexpected end of file: expected an array element or ']'"));
    if (m_stream.window()[0] == ']') {
        m_stream.consume(1);
        m_state = State::Done;
        return std::nullopt;
    }
    m_scan = 0;
    m_depth = 0;
    m_inString = false;
    m_escape = false;
    m_discarding = false;
    m_elementLine = m_line;
    m_elementColumn = column();
    qsizetype end = -1;
    if (std::optional<Result> fatal = findElementEnd(record, &end))
        return fatal;
    const QByteArrayView element = m_stream.window().first(end);
    record.row = ++m_row;
    record.line = m_elementLine;
    record.raw = element;
    countLines(element);
    m_stream.consume(end);
    m_state = State::AfterElement;
    if (m_discarding || element.size() > m_limits.maxRecordBytes) {
        makeProblem(problem, record.row, m_elementLine, m_elementColumn,
                    tr("array element longer than the %1-byte cap").arg(m_limits.maxRecordBytes),
                    m_discarding ? QByteArrayView() : element);
        return Result::Problem;
    }
    return parseElement(element, record, problem);
}

std::optional<RecordReader::Result> JsonArrayReader::findElementEnd(Record &record, qsizetype *end)
{
    for (;;) {
        bool truncated = false;
        *end = scanElement(&truncated);
        if (*end >= 0)
            return std::nullopt;
        if (m_stream.atEof()) {
            if (m_stream.failed())
                return fail(m_line, 0, m_stream.errorString());
            return fail(m_elementLine, m_elementColumn, tr("unexpected end of file inside the array element starting here"));
        }
        if (m_stream.available() > m_limits.maxRecordBytes) {
            // Too long to be a row: drop what was scanned and keep scanning.
            if (!m_discarding) {
                m_discarding = true;
                record.raw = {};
            }
            countLines(m_stream.window());
            m_stream.consume(m_stream.available());
            m_scan = 0;
        }
        m_stream.fill();
    }
}

RecordReader::Result JsonArrayReader::parseElement(QByteArrayView element, Record &record, RowProblem &problem)
{
    // Columns on the element's first line count from the start of that line.
    const auto where = [&](qsizetype offset, qint64 *line, int *col) {
        locate(element, m_elementLine, offset, line, col);
        if (*line == m_elementLine)
            *col += m_elementColumn - 1;
    };
    qint64 line;
    int col;
    const qsizetype bad = Utf8Validation::firstInvalid(element);
    if (bad >= 0) {
        where(bad, &line, &col);
        makeProblem(problem, record.row, line, col, tr("invalid UTF-8"), element);
        return Result::Problem;
    }
    if (element[0] != '{') {
        makeProblem(problem, record.row, m_elementLine, m_elementColumn,
                    tr("expected a JSON object as array element, found %1")
                        .arg(element[0] == '[' ? tr("an array") : tr("a plain value")),
                    element);
        return Result::Problem;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(element.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError) {
        // Qt reports the offset just past the offending character.
        where(qBound(qsizetype(0), qsizetype(error.offset) - 1, element.size()), &line, &col);
        makeProblem(problem, record.row, line, col,
                    tr("invalid JSON: %1").arg(error.errorString()), element);
        return Result::Problem;
    }
    record.object = doc.object();
    return Result::Record;
}

} // namespace headroom::imports
