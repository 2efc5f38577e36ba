#pragma once

#include "sandbox/HttpRequest.h"

#include <QByteArray>

namespace headroom::sandbox {

// Incremental HTTP/1.1 request parser for one connection: bytes go in as they
// arrive, whole requests come out in order (pipelining works). Bodies by
// Content-Length or chunked transfer coding. Pure: no sockets, no timers.
class HttpRequestParser
{
public:
    enum class Result { NeedMore, Ready, Error };

    explicit HttpRequestParser(qint64 maxBodyBytes = 8 * 1024 * 1024);

    void feed(const QByteArray &bytes) { m_buffer.append(bytes); }
    // Takes the next complete request out of the buffer.
    Result next(HttpRequest *request);

    // After an Error: the status to answer with (400, 413, 431, 501).
    int errorStatus() const { return m_errorStatus; }
    // True once per request whose headers asked for "Expect: 100-continue"
    // while its body has not arrived yet.
    bool takeContinueRequest();
    qsizetype bufferedBytes() const { return m_buffer.size(); }

private:
    bool parseHead(qsizetype headEnd);
    Result parseChunkedBody(HttpRequest *request);
    Result fail(int status);
    void offerContinue();

    QByteArray m_buffer;
    qint64 m_maxBodyBytes;
    bool m_haveHead = false;
    qsizetype m_bodyStart = 0;
    qint64 m_contentLength = 0;
    bool m_chunked = false;
    bool m_continuePending = false;
    bool m_continueOffered = false;
    int m_errorStatus = 0;
    HttpRequest m_current;
};

} // namespace headroom::sandbox
