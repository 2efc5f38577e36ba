#include "core/sandbox/HttpConnection.h"

#include <QJsonObject>

namespace headroom::sandbox {

namespace {
// Qt's own buffer of unread bytes: without a bound it takes in whatever the
// kernel has while the event loop is busy.
constexpr qint64 kSocketReadBufferBytes = 256 * 1024;
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, qint64 maxBodyBytes, std::chrono::milliseconds requestTimeout,
                               QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_parser(maxBodyBytes)
    , m_requestTimer(new QTimer(this))
{
    socket->setParent(this);
    socket->setReadBufferSize(kSocketReadBufferBytes);
    m_requestTimer->setSingleShot(true);
    m_requestTimer->setInterval(requestTimeout);
    connect(m_requestTimer, &QTimer::timeout, this, [this] { refuse(408); });
    // A connection that never sends a request is held to the same bound.
    m_requestTimer->start();
    // Small keep-alive answers must not wait for Nagle.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    if (socket->bytesAvailable() > 0)
        onReadyRead();
}

bool HttpConnection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::onReadyRead()
{
    if (!m_socket)
        return;
    m_parser.feed(m_socket->readAll());
    if (m_parser.bufferedBytes() > m_parser.maxBufferedBytes()) {
        // More than one whole request: sent while the answer is pending, or
        // never a request at all. Nothing more is read from this client.
        if (m_busy)
            drop();
        else
            refuse(413);
        return;
    }
    processBuffered();
}

void HttpConnection::refuse(int status)
{
    if (!isOpen())
        return;
    const HttpResponse r = HttpResponse::json(status, QJsonObject{
                                                          {QStringLiteral("error"), QString::fromLatin1(HttpResponse::reasonPhrase(status))}});
    m_socket->write(r.toBytes(false));
    m_requestTimer->stop();
    m_socket->disconnectFromHost();
}

void HttpConnection::watchUnfinished()
{
    // From the first byte of a request to its end, once; progress does not
    // extend it, so a byte every few seconds cannot hold the connection.
    if (m_busy || !isOpen() || (m_parser.bufferedBytes() == 0 && m_served))
        m_requestTimer->stop();
    else if (!m_requestTimer->isActive())
        m_requestTimer->start();
}

void HttpConnection::processBuffered()
{
    if (m_processing)
        return;
    m_processing = true;
    while (!m_busy && isOpen()) {
        HttpRequest request;
        const HttpRequestParser::Result result = m_parser.next(&request);
        if (result == HttpRequestParser::Result::NeedMore) {
            if (m_parser.takeContinueRequest())
                m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            break;
        }
        if (result == HttpRequestParser::Result::Error) {
            refuse(m_parser.errorStatus());
            break;
        }
        m_busy = true;
        m_served = true;
        m_requestTimer->stop();
        m_keepAlive = request.keepAlive;
        Q_EMIT requestReceived(this, request);
    }
    m_processing = false;
    watchUnfinished();
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (!m_busy || !isOpen())
        return;
    m_busy = false;
    m_socket->write(response.toBytes(m_keepAlive));
    if (!m_keepAlive) {
        m_socket->disconnectFromHost();
        return;
    }
    processBuffered();
}

void HttpConnection::drop()
{
    m_busy = false;
    if (m_socket)
        m_socket->abort();
    // abort() emits disconnected() only when connected; make sure we go either way.
    deleteLater();
}

} // namespace headroom::sandbox
