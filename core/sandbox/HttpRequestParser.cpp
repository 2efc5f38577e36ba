#include "core/sandbox/HttpRequestParser.h"

#include <algorithm>

namespace headroom::sandbox {

HttpRequestParser::HttpRequestParser(qint64 maxBodyBytes)
    : m_maxBodyBytes(maxBodyBytes)
{
}

qsizetype HttpRequestParser::maxBufferedBytes() const
{
    return kMaxHeadBytes + qsizetype(m_maxBodyBytes) + kMaxHeadBytes;
}

bool HttpRequestParser::takeContinueRequest()
{
    const bool pending = m_continuePending;
    m_continuePending = false;
    return pending;
}

void HttpRequestParser::offerContinue()
{
    if (!m_continueOffered && m_current.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0) {
        m_continueOffered = true;
        m_continuePending = true;
    }
}

HttpRequestParser::Result HttpRequestParser::fail(int status)
{
    m_errorStatus = status;
    return Result::Error;
}

HttpRequestParser::Result HttpRequestParser::next(HttpRequest *request)
{
    if (m_errorStatus != 0)
        return Result::Error;
    if (!m_haveHead) {
        // Tolerate blank lines between pipelined requests (RFC 9112 §2.2).
        qsizetype skip = 0;
        while (skip + 1 < m_buffer.size() && m_buffer.at(skip) == '\r' && m_buffer.at(skip + 1) == '\n')
            skip += 2;
        if (skip > 0) {
            m_buffer.remove(0, skip);
            m_headSearched = 0;
        }
        // From where the last look stopped: a head sent a byte at a time is
        // searched once, not from its start at every byte.
        const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n", std::max<qsizetype>(0, m_headSearched - 3));
        if (headEnd < 0) {
            m_headSearched = m_buffer.size();
            return m_buffer.size() > kMaxHeadBytes ? fail(431) : Result::NeedMore;
        }
        m_headSearched = 0;
        if (headEnd > kMaxHeadBytes)
            return fail(431);
        if (!parseHead(headEnd))
            return Result::Error;
        m_scanned += headEnd + 4;
        m_haveHead = true;
        m_bodyStart = headEnd + 4;
        m_chunkPos = m_bodyStart;
        m_lastChunk = false;
        m_current.body.clear();
    }

    if (m_chunked) {
        const Result r = parseChunkedBody(request);
        if (r == Result::NeedMore)
            offerContinue();
        return r;
    }
    if (m_buffer.size() - m_bodyStart < m_contentLength) {
        offerContinue();
        return Result::NeedMore;
    }
    m_current.body = m_buffer.mid(m_bodyStart, m_contentLength);
    m_scanned += m_contentLength;
    finish(m_bodyStart + m_contentLength, request);
    return Result::Ready;
}

void HttpRequestParser::finish(qsizetype consumed, HttpRequest *request)
{
    m_buffer.remove(0, consumed);
    *request = std::move(m_current);
    m_current = HttpRequest();
    m_haveHead = false;
    m_chunked = false;
    m_lastChunk = false;
    m_continuePending = false;
    m_continueOffered = false;
}

bool HttpRequestParser::parseHead(qsizetype headEnd)
{
    const QByteArray head = m_buffer.left(headEnd);
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine.at(0).isEmpty() || !requestLine.at(2).startsWith("HTTP/1.")) {
        fail(400);
        return false;
    }
    HttpRequest r;
    r.method = requestLine.at(0);
    QByteArray target = requestLine.at(1);
    if (target.startsWith("http://")) { // absolute-form: keep the path only
        const qsizetype slash = target.indexOf('/', 7);
        target = slash < 0 ? QByteArrayLiteral("/") : target.mid(slash);
    }
    if (!target.startsWith('/')) {
        fail(400);
        return false;
    }
    const qsizetype q = target.indexOf('?');
    r.path = q < 0 ? target : target.left(q);
    r.query = q < 0 ? QByteArray() : target.mid(q + 1);
    const bool http10 = requestLine.at(2) == "HTTP/1.0";

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(400);
            return false;
        }
        r.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }

    const QByteArray connection = r.header("connection").toLower();
    r.keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");

    m_chunked = r.header("transfer-encoding").toLower().contains("chunked");
    m_contentLength = 0;
    if (!m_chunked && r.hasHeader("content-length")) {
        bool ok = false;
        m_contentLength = r.header("content-length").toLongLong(&ok);
        if (!ok || m_contentLength < 0) {
            fail(400);
            return false;
        }
        if (m_contentLength > m_maxBodyBytes) {
            fail(413);
            return false;
        }
    }
    m_current = std::move(r);
    return true;
}

HttpRequestParser::Result HttpRequestParser::parseChunkedBody(HttpRequest *request)
{
    // Goes on from the last whole chunk: a body sent a byte at a time is
    // examined once, not from its start at every byte.
    qsizetype pos = m_chunkPos;
    // Drops the chunks taken, once per call, so the buffer holds at most
    // one chunk of the body and the compaction stays linear.
    auto compact = [this, &pos] {
        m_buffer.remove(m_bodyStart, pos - m_bodyStart);
        pos = m_bodyStart;
        m_chunkPos = pos;
    };
    while (!m_lastChunk) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n", pos);
        if (lineEnd < 0) {
            const bool endless = m_buffer.size() - pos > kMaxChunkLineBytes;
            compact();
            return endless ? fail(400) : Result::NeedMore;
        }
        if (lineEnd - pos > kMaxChunkLineBytes)
            return fail(400);
        QByteArray sizeText = m_buffer.mid(pos, lineEnd - pos);
        const qsizetype semicolon = sizeText.indexOf(';');
        if (semicolon >= 0)
            sizeText.truncate(semicolon);
        bool ok = false;
        const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return fail(400);
        if (size > m_maxBodyBytes - m_current.body.size())
            return fail(413);
        if (size == 0) {
            m_scanned += lineEnd + 2 - pos;
            m_lastChunk = true;
            pos = lineEnd + 2;
            break;
        }
        if (m_buffer.size() < lineEnd + 2 + size + 2) {
            compact();
            return Result::NeedMore;
        }
        m_scanned += lineEnd + 2 - pos + size + 2;
        m_current.body.append(m_buffer.constData() + lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
    compact();
    return finishChunkedBody(pos, request);
}

HttpRequestParser::Result HttpRequestParser::finishChunkedBody(qsizetype pos, HttpRequest *request)
{
    // The trailer section ends with an empty line.
    const qsizetype end = m_buffer.indexOf("\r\n", pos);
    if (end < 0)
        return m_buffer.size() - pos > kMaxHeadBytes ? fail(431) : Result::NeedMore;
    if (end != pos) {
        const qsizetype trailersEnd = m_buffer.indexOf("\r\n\r\n", pos);
        if (trailersEnd < 0)
            return m_buffer.size() - pos > kMaxHeadBytes ? fail(431) : Result::NeedMore;
        pos = trailersEnd + 4;
    } else {
        pos = end + 2;
    }
    finish(pos, request);
    return Result::Ready;
}

} // namespace headroom::sandbox
