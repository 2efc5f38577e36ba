#include "run/RunLogWriter.h"

namespace headroom::run {

namespace {

constexpr qsizetype kFlushBytes = 64 * 1024;

void appendString(QByteArray &out, const QString &value)
{
    // By hand: a QJsonDocument per string was the run log's main cost (the
    // engine profile: ~5 % of its thread at 3,000 requests/s).
    static constexpr char kHex[] = "0123456789abcdef";
    const QByteArray utf8 = value.toUtf8();
    out += '"';
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20) {
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

void appendNumber(QByteArray &out, double value)
{
    out += QByteArray::number(value, 'f', 1);
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
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        if (error)
            *error = m_file.errorString();
        return false;
    }
    return true;
}

QByteArray RunLogWriter::toJsonLine(const AttemptRecord &r)
{
    QByteArray out;
    out.reserve(256);
    out += "{\"t\":";
    out += QByteArray::number(r.wallMs);
    out += ",\"lane\":";
    appendString(out, r.lane);
    out += ",\"op\":";
    appendString(out, r.operation);
    out += ",\"method\":\"";
    out += r.method;
    out += "\",\"path\":";
    appendString(out, r.path);
    out += ",\"row\":";
    out += QByteArray::number(r.firstRow);
    out += ",\"rows\":";
    out += QByteArray::number(r.rowCount);
    out += ",\"attempt\":";
    out += QByteArray::number(r.attempt);
    out += ",\"status\":";
    out += QByteArray::number(r.status);
    out += ",\"latency_ms\":";
    appendNumber(out, r.latencyMs);
    if (r.remaining >= 0) {
        out += ",\"remaining\":";
        out += QByteArray::number(r.remaining);
    }
    if (r.limit >= 0) {
        out += ",\"limit\":";
        out += QByteArray::number(r.limit);
    }
    if (r.resetInS >= 0) {
        out += ",\"reset_s\":";
        out += QByteArray::number(r.resetInS, 'f', 3);
    }
    if (r.retryAfterS >= 0) {
        out += ",\"retry_after_s\":";
        out += QByteArray::number(r.retryAfterS, 'f', 3);
    }
    out += ",\"decision\":";
    appendString(out, r.decision);
    if (r.delayMs > 0) {
        out += ",\"delay_ms\":";
        appendNumber(out, r.delayMs);
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
    return out;
}

void RunLogWriter::attemptFinished(const AttemptRecord &record)
{
    QByteArray line = toJsonLine(record);
    for (const QByteArray &secret : std::as_const(m_secrets)) {
        if (!secret.isEmpty() && line.contains(secret))
            line.replace(secret, "***");
    }
    m_buffer += line;
    if (m_buffer.size() >= kFlushBytes)
        flush();
}

void RunLogWriter::flush()
{
    if (m_buffer.isEmpty() || !m_file.isOpen())
        return;
    m_file.write(m_buffer);
    m_file.flush();
    m_buffer.clear();
}

} // namespace headroom::run
