#include "core/run/RunLogWriter.h"
#include "core/run/RunFile.h"

#include "core/text/EscapedText.h"

#include <charconv>
#include <cmath>

namespace headroom::run {

namespace {

constexpr qsizetype kFlushBytes = 64 * 1024;

// One escaping for the run log and for peers' words on stderr (EscapedText).
void appendEscaped(QByteArray &out, QByteArrayView utf8)
{
    text::EscapedText::appendJsonString(out, utf8);
}

void appendString(QByteArray &out, const QString &value)
{
    // Lane names, operations and decisions are short ASCII: no UTF-8 copy for them.
    char ascii[64];
    if (value.size() <= qsizetype(sizeof ascii)) {
        qsizetype n = 0;
        for (const QChar c : value) {
            if (c.unicode() >= 0x80)
                break;
            ascii[n++] = char(c.unicode());
        }
        if (n == value.size()) {
            appendEscaped(out, QByteArrayView(ascii, n));
            return;
        }
    }
    appendEscaped(out, value.toUtf8());
}

void appendInteger(QByteArray &out, qint64 value)
{
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, end - digits);
}

void appendFixed(QByteArray &out, double value, int decimals)
{
    if (!std::isfinite(value)) { // "nan" is not JSON
        out += "null";
        return;
    }
    char digits[64];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed, decimals);
    if (ec == std::errc())
        out.append(digits, end - digits);
    else // beyond 64 characters: not a latency or a delay any more
        out += QByteArray::number(value, 'f', decimals);
}

} // namespace

RunLogWriter::RunLogWriter(const QString &path, QList<QByteArray> secrets)
    : m_file(path)
    , m_secrets(std::move(secrets))
{
    m_buffer.reserve(kFlushBytes * 2);
}

RunLogWriter::~RunLogWriter()
{
    flush();
}

bool RunLogWriter::open(QString *error)
{
    if (!RunFile::open(m_file, QIODevice::WriteOnly | QIODevice::Append, error)) {
        return false;
    }
    return true;
}

QByteArray RunLogWriter::toJsonLine(const AttemptRecord &record)
{
    QByteArray out;
    out.reserve(256);
    appendJsonLine(out, record);
    return out;
}

void RunLogWriter::appendJsonLine(QByteArray &out, const AttemptRecord &r)
{
    out += "{\"t\":";
    appendInteger(out, r.wallMs);
    out += ",\"lane\":";
    appendString(out, r.lane);
    out += ",\"op\":";
    appendString(out, r.operation);
    out += ",\"method\":\"";
    out += r.method;
    out += "\",\"path\":";
    appendString(out, r.path);
    out += ",\"row\":";
    appendInteger(out, r.firstRow);
    out += ",\"rows\":";
    appendInteger(out, r.rowCount);
    out += ",\"attempt\":";
    appendInteger(out, r.attempt);
    out += ",\"status\":";
    appendInteger(out, r.status);
    out += ",\"latency_ms\":";
    appendFixed(out, r.latencyMs, 1);
    if (r.remaining >= 0) {
        out += ",\"remaining\":";
        appendInteger(out, r.remaining);
    }
    if (r.limit >= 0) {
        out += ",\"limit\":";
        appendInteger(out, r.limit);
    }
    if (r.resetInS >= 0) {
        out += ",\"reset_s\":";
        appendFixed(out, r.resetInS, 3);
    }
    if (r.retryAfterS >= 0) {
        out += ",\"retry_after_s\":";
        appendFixed(out, r.retryAfterS, 3);
    }
    out += ",\"decision\":";
    appendString(out, r.decision);
    if (!r.outcome.isEmpty()) {
        out += ",\"outcome\":";
        appendString(out, r.outcome);
    }
    if (r.delayMs > 0) {
        out += ",\"delay_ms\":";
        appendFixed(out, r.delayMs, 1);
    }
    if (!r.reason.isEmpty()) {
        out += ",\"reason\":";
        appendString(out, r.reason);
    }
    if (!r.error.isEmpty()) {
        out += ",\"error\":";
        appendString(out, r.error);
    }
    if (!r.ignoredSignals.isEmpty()) {
        out += ",\"ignored\":[";
        for (qsizetype i = 0; i < r.ignoredSignals.size(); ++i) {
            if (i)
                out += ',';
            appendString(out, r.ignoredSignals.at(i));
        }
        out += ']';
    }
    out += "}\n";
}

void RunLogWriter::attemptFinished(const AttemptRecord &record)
{
    const qsizetype start = m_buffer.size();
    appendJsonLine(m_buffer, record);
    m_secrets.apply(m_buffer, start);
    // The rate parser shows at most 40 characters of a header value it
    // ignores, cut before any mask could see the whole secret: what ends at
    // a cut may be a secret's beginning.
    if (!record.ignoredSignals.isEmpty() && !m_secrets.isEmpty()) {
        static const QByteArray kCut = QByteArrayLiteral("...'");
        for (qsizetype at = m_buffer.indexOf(kCut, start); at >= 0;) {
            at = m_secrets.applyToCut(m_buffer, at, start);
            at = m_buffer.indexOf(kCut, at + kCut.size());
        }
    }
    if (m_buffer.size() >= kFlushBytes)
        flush();
}

void RunLogWriter::lanesSampled(const QList<Lane *> &lanes, TimePoint now)
{
    Q_UNUSED(lanes);
    Q_UNUSED(now);
    flush();
}

void RunLogWriter::flush()
{
    if (m_buffer.isEmpty() || !m_file.isOpen())
        return;
    m_file.write(m_buffer);
    m_file.flush();
    m_buffer.resize(0); // keeps the capacity; clear() would free it
}

} // namespace headroom::run
