#pragma once

#include "core/sandbox/HttpRequest.h"

#include <QByteArray>

namespace headroom::sandbox {

// Incremental HTTP/1.1 request parser for one connection: bytes go in as they
// arrive, whole requests come out in order (pipelining works). Bodies by
// Content-Length or chunked transfer coding, the chunks taken as they come
// (never re-scanned). Bounded: a head of 64 KiB (431), a body of
// maxBodyBytes (413), a chunk-size line of 1 KiB (400). Pure: no sockets, no
// timers.
class HttpRequestParser
{
public:
    enum class Result { NeedMore,
                        Ready,
                        Error };

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
    // The most a connection may hold unparsed (one whole request with room
    // for its framing): beyond it, a client is sending while its answer is
    // pending, or sending garbage, and the connection goes.
    qsizetype maxBufferedBytes() const;
    // Bytes examined so far, to show the parsing stays linear.
    qint64 scannedBytes() const { return m_scanned; }

    static constexpr qsizetype kMaxHeadBytes = 64 * 1024;
    static constexpr qsizetype kMaxChunkLineBytes = 1024;

private:
    bool parseHead(qsizetype headEnd);
    Result parseChunkedBody(HttpRequest *request);
    Result finishChunkedBody(qsizetype pos, HttpRequest *request);
    void finish(qsizetype consumed, HttpRequest *request);
    Result fail(int status);
    void offerContinue();

    QByteArray m_buffer;
    qint64 m_maxBodyBytes;
    bool m_haveHead = false;
    qsizetype m_bodyStart = 0;
    qint64 m_contentLength = 0;
    bool m_chunked = false;
    qsizetype m_headSearched = 0; // bytes of an unfinished head already searched for its end
    qsizetype m_chunkPos = 0;     // where the next chunk-size line starts in m_buffer
    bool m_lastChunk = false;     // the 0-size chunk came: trailers follow
    qint64 m_scanned = 0;
    bool m_continuePending = false;
    bool m_continueOffered = false;
    int m_errorStatus = 0;
    HttpRequest m_current;
};

} // namespace headroom::sandbox
