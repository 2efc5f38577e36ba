#pragma once

// A tiny HTTP/1.1 server that misbehaves on purpose, for the hostile suite:
// it answers every request the same hostile way and counts what it saw.
// Lives in the test's thread, or in its own (HostilePeerThread) when the
// engine's thread must not share its event loop with the server's writing.
#include <QByteArray>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QThread>
#include <QTcpSocket>
#include <QUrl>

#include <atomic>

namespace headroom::testing {

class HostilePeer : public QTcpServer
{
public:
    enum class Mode {
        EndlessBody,  // 200 with no length, then bytes until the client leaves
        ShortBody,    // 200 announcing 100 bytes, 4 sent, then close
        ThrottleZero, // 429 with Retry-After: 0, on every request, keep-alive
        Accept,       // 200 {} on every request, keep-alive: the server healed
    };
    static constexpr qint64 kChunk = 64 * 1024;
    // The endless body stops here, so a client that never gives up cannot
    // fill the test machine; a bound held by the client is far below it.
    static constexpr qint64 kSafetyStop = 2LL << 30;

    explicit HostilePeer(Mode mode)
        : m_mode(mode)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection())
                serve(socket);
        });
    }

    void setMode(Mode mode) { m_mode = mode; }
    bool start() { return listen(QHostAddress::LocalHost, 0); }
    QUrl baseUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serverPort())); }

    int requests() const { return m_requests; }
    int connections() const { return m_connections; }
    int closedByClient() const { return m_closedByClient; }
    // The most body bytes one connection took before it was closed.
    qint64 mostBodyBytesWritten() const { return m_mostBodyBytes; }

private:
    struct Connection
    {
        QByteArray pending;
        qint64 bodyBytes = 0;
        bool answering = false;
    };

    void serve(QTcpSocket *socket)
    {
        ++m_connections;
        auto *state = new Connection;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, state] {
            state->pending += socket->readAll();
            while (takeRequest(state->pending)) {
                ++m_requests;
                answer(socket, state);
            }
        });
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket, state] {
            if (m_mode == Mode::EndlessBody && state->answering)
                feed(socket, state);
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket, state] {
            if (!m_closingOurselves.contains(socket))
                ++m_closedByClient;
            m_mostBodyBytes = std::max(m_mostBodyBytes.load(), state->bodyBytes);
            delete state;
            socket->deleteLater();
        });
    }

    // Drops one whole request (headers and Content-Length body) from `buffer`.
    static bool takeRequest(QByteArray &buffer)
    {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        qsizetype length = 0;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        for (const QByteArray &line : lines) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return false;
        buffer.remove(0, end + 4 + length);
        return true;
    }

    void answer(QTcpSocket *socket, Connection *state)
    {
        switch (m_mode.load()) {
        case Mode::EndlessBody:
            state->answering = true;
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
            feed(socket, state);
            return;
        case Mode::ShortBody:
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"");
            m_closingOurselves.append(socket);
            socket->disconnectFromHost();
            return;
        case Mode::ThrottleZero:
            socket->write("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n");
            return;
        case Mode::Accept:
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            return;
        }
    }

    // Keeps a few chunks queued: the client's reading paces the server.
    void feed(QTcpSocket *socket, Connection *state)
    {
        static const QByteArray chunk(kChunk, 'x');
        while (socket->bytesToWrite() < 4 * kChunk && state->bodyBytes < kSafetyStop) {
            socket->write(chunk);
            state->bodyBytes += kChunk;
        }
    }

    // Read from the test's thread while the peer serves in its own.
    std::atomic<Mode> m_mode;
    std::atomic<int> m_requests = 0;
    std::atomic<int> m_connections = 0;
    std::atomic<int> m_closedByClient = 0;
    std::atomic<qint64> m_mostBodyBytes = 0;
    QList<QTcpSocket *> m_closingOurselves;
};

// A HostilePeer serving from its own thread: an endless body written from
// the engine's thread would starve the engine of the very events (readyRead)
// that bound it, which a real server never does.
class HostilePeerThread
{
public:
    explicit HostilePeerThread(HostilePeer::Mode mode)
        : m_peer(new HostilePeer(mode))
    {
        m_peer->moveToThread(&m_thread);
        m_thread.start();
    }
    ~HostilePeerThread()
    {
        HostilePeer *peer = m_peer;
        QMetaObject::invokeMethod(
            peer, [peer] { delete peer; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    bool start()
    {
        bool ok = false;
        HostilePeer *peer = m_peer;
        QMetaObject::invokeMethod(
            peer, [peer, &ok] { ok = peer->start(); }, Qt::BlockingQueuedConnection);
        return ok;
    }
    HostilePeer &peer() { return *m_peer; }

private:
    QThread m_thread;
    HostilePeer *m_peer;
};

} // namespace headroom::testing
