#pragma once

#include "core/sandbox/HttpRequest.h"
#include "core/sandbox/HttpRequestParser.h"
#include "core/sandbox/HttpResponse.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>

namespace headroom::sandbox {

// One client connection of the sandbox's HTTP/1.1 server. It hands out one
// request at a time and holds back the next (pipelined) one until the current
// is answered, so delayed answers keep HTTP order. An answer for a client
// that has gone is dropped: holders keep a QPointer to the connection, and the
// connection deletes itself when its socket closes. Bounded: a client that
// keeps sending while its answer is pending, or sends more than one request
// can hold, is cut off; a request unfinished `requestTimeout` after its first
// byte (or a new connection without one) is answered 408 and closed (a held
// connection costs a socket each).
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, qint64 maxBodyBytes, std::chrono::milliseconds requestTimeout,
                   QObject *parent = nullptr);

    // Answers the request last handed out. Ignored if the client has left.
    void respond(const HttpResponse &response);
    // Closes the socket at once without an answer (a "dropped connection").
    void drop();
    bool isOpen() const;

Q_SIGNALS:
    void requestReceived(headroom::sandbox::HttpConnection *connection,
                         const headroom::sandbox::HttpRequest &request);

private:
    void onReadyRead();
    void processBuffered();
    void watchUnfinished();
    void refuse(int status);

    QPointer<QTcpSocket> m_socket;
    HttpRequestParser m_parser;
    QTimer *m_requestTimer;    // runs while a request is unfinished
    bool m_busy = false;       // a request was handed out and not answered yet
    bool m_processing = false; // inside processBuffered(): no re-entry
    bool m_keepAlive = true;
    bool m_served = false; // a request was handed out: idle keep-alive is fine from then on
};

} // namespace headroom::sandbox
