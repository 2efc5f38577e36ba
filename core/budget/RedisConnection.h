#pragma once

#include "core/budget/RedisUrl.h"
#include "core/budget/RespGuard.h"
#include "core/budget/RedisValue.h"

#include <QObject>

#include <deque>
#include <functional>

class QTcpSocket;
struct redisReader;

namespace headroom::budget {

// One pipelined connection to Redis on the thread that owns it, without a
// blocking call: commands are written at once and answered in order through
// their callbacks. hiredis does the protocol (redisFormatCommandArgv and its
// reply reader); the socket is a QTcpSocket, so the event loop of the engine
// thread drives it. Not hiredis's async context with its adapters/qt.h:
// Debian's hiredis 0.14 has no timeouts on that context, which we need to
// call Redis away after 200 ms, and it calls back from inside its own free;
// a QTcpSocket owned here reports errors and ends its life the Qt way.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const RedisValue &)>;

    explicit RedisConnection(QObject *parent = nullptr);
    ~RedisConnection() override;

    // Connects (AUTH and SELECT go first when the URL asks for them); over
    // TLS for rediss://, the server's certificate verified. A password that
    // would cross a network in clear is refused (lost) unless allowed.
    void open(const RedisUrl &url);
    void setPasswordInClearAllowed(bool allowed) { m_passwordInClearAllowed = allowed; }
    // Drops the connection; every command still waiting is answered Failed.
    void close(const QByteArray &reason);
    bool isConnected() const;
    bool isOpening() const;
    int pendingCount() const { return int(m_pending.size()); }

    // Queues one command; `done` runs exactly once (with Failed if the
    // connection goes before the answer).
    void command(const QList<QByteArray> &args, Callback done);

signals:
    void connected();
    void lost(const QString &reason);

private:
    void makeSocket(bool tls);
    void onReadyRead();
    void failAll(const QByteArray &reason);

    QTcpSocket *m_socket = nullptr;
    redisReader *m_reader = nullptr;
    RespGuard m_guard; // bounds what reaches hiredis
    std::deque<Callback> m_pending;
    bool m_passwordInClearAllowed = false;
    quint64 m_generation = 0; // bumped by close(): a callback may close us mid-read
};

} // namespace headroom::budget
