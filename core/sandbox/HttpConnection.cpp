#include "sandbox/HttpConnection.h"

#include <QJsonObject>

namespace headroom::sandbox {

HttpConnection::HttpConnection(QTcpSocket *socket, qint64 maxBodyBytes, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_parser(maxBodyBytes)
{
    socket->setParent(this);
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
    processBuffered();
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
            const int status = m_parser.errorStatus();
            HttpResponse r = HttpResponse::json(status, QJsonObject{
                {QStringLiteral("error"), QString::fromLatin1(HttpResponse::reasonPhrase(status))}});
            m_socket->write(r.toBytes(false));
            m_socket->disconnectFromHost();
            break;
        }
        m_busy = true;
        m_keepAlive = request.keepAlive;
        Q_EMIT requestReceived(this, request);
    }
    m_processing = false;
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
