#include "core/budget/RedisConnection.h"

#include "core/budget/BudgetLogging.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <hiredis/hiredis.h>

#include <vector>

namespace headroom::budget {

RedisConnection::RedisConnection(QObject *parent)
    : QObject(parent)
{
    makeSocket(false);
}

void RedisConnection::makeSocket(bool tls)
{
    if (m_socket && (qobject_cast<QSslSocket *>(m_socket) != nullptr) == tls)
        return;
    delete m_socket;
    auto *ssl = tls ? new QSslSocket(this) : nullptr;
    m_socket = ssl ? ssl : new QTcpSocket(this);
    // Small commands, answered one by one: Nagle would hold each for an ACK.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto ready = [this] {
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        emit connected();
    };
    // Over TLS the commands written meanwhile wait in QSslSocket until the
    // handshake (and the certificate's verification) succeeds.
    if (ssl)
        connect(ssl, &QSslSocket::encrypted, this, ready);
    else
        connect(m_socket, &QTcpSocket::connected, this, ready);
    connect(m_socket, &QTcpSocket::readyRead, this, &RedisConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        const QString reason = m_socket->errorString();
        close(reason.toUtf8());
        emit lost(reason);
    });
}

RedisConnection::~RedisConnection()
{
    m_socket->disconnect(this);
    failAll("closed");
    if (m_reader)
        redisReaderFree(m_reader);
}

void RedisConnection::open(const RedisUrl &url)
{
    close("reopened");
    if (url.sendsPasswordInClear() && !m_passwordInClearAllowed) {
        // Said on the next turn of the loop, as a failed connection would be.
        const QString reason = tr("refusing to send the Redis password in clear to %1 (use rediss://, or "
                                  "--insecure-redis to allow it)")
                                   .arg(url.host);
        QMetaObject::invokeMethod(
            this, [this, reason] { emit lost(reason); }, Qt::QueuedConnection);
        return;
    }
    makeSocket(url.tls);
    m_reader = redisReaderCreate();
    m_guard.reset();
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        ssl->connectToHostEncrypted(url.host, url.port);
    else
        m_socket->connectToHost(url.host, url.port);
    // Written into the socket's buffer now, sent once connected.
    if (!url.password.isEmpty()) {
        QList<QByteArray> auth{"AUTH"};
        if (!url.user.isEmpty())
            auth << url.user.toUtf8();
        auth << url.password.toUtf8();
        command(auth, [](const RedisValue &v) {
            if (v.type == RedisValue::Type::Error)
                qCWarning(lcBudget) << "Redis refused AUTH:" << v.text;
        });
    }
    if (url.database != 0) {
        command({"SELECT", QByteArray::number(url.database)}, [](const RedisValue &v) {
            if (v.type == RedisValue::Type::Error)
                qCWarning(lcBudget) << "Redis refused SELECT:" << v.text;
        });
    }
}

void RedisConnection::close(const QByteArray &reason)
{
    ++m_generation;
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    if (m_reader) {
        redisReaderFree(m_reader);
        m_reader = nullptr;
    }
    failAll(reason);
}

bool RedisConnection::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

bool RedisConnection::isOpening() const
{
    const auto s = m_socket->state();
    return s == QAbstractSocket::HostLookupState || s == QAbstractSocket::ConnectingState;
}

void RedisConnection::command(const QList<QByteArray> &args, Callback done)
{
    if (!m_reader || m_socket->state() == QAbstractSocket::UnconnectedState) {
        done(RedisValue::failed("not connected"));
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(args.size()));
    lengths.reserve(size_t(args.size()));
    for (const QByteArray &a : args) {
        argv.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    char *formatted = nullptr;
    const int length = redisFormatCommandArgv(&formatted, int(argv.size()), argv.data(), lengths.data());
    if (length < 0 || !formatted) {
        done(RedisValue::failed("cannot format the command"));
        return;
    }
    m_pending.push_back(std::move(done));
    m_socket->write(formatted, length);
    redisFreeCommand(formatted);
    // Now rather than on a later pass of the event loop (never blocks); while
    // still connecting, the buffer waits for `connected`.
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->flush();
}

void RedisConnection::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (!m_reader)
        return;
    QByteArray refused;
    if (!m_guard.accept(bytes, &refused)) {
        // Never handed to hiredis: it would allocate what the header claims.
        const QString reason = tr("refused a reply from Redis: %1").arg(QString::fromUtf8(refused));
        close(refused);
        emit lost(reason);
        return;
    }
    if (redisReaderFeed(m_reader, bytes.constData(), size_t(bytes.size())) != REDIS_OK) {
        close("protocol error");
        emit lost(QStringLiteral("protocol error"));
        return;
    }
    const quint64 generation = m_generation;
    for (;;) {
        void *raw = nullptr;
        if (redisReaderGetReply(m_reader, &raw) != REDIS_OK) {
            close("protocol error");
            emit lost(QStringLiteral("protocol error"));
            return;
        }
        if (!raw)
            return;
        const RedisValue value = RedisValue::fromReply(static_cast<redisReply *>(raw));
        freeReplyObject(raw);
        if (m_pending.empty())
            continue; // an answer nobody asked for: ignore rather than misattribute
        Callback done = std::move(m_pending.front());
        m_pending.pop_front();
        done(value);
        if (generation != m_generation)
            return; // the callback closed or reopened us
    }
}

void RedisConnection::failAll(const QByteArray &reason)
{
    std::deque<Callback> pending;
    pending.swap(m_pending);
    for (Callback &done : pending)
        done(RedisValue::failed(reason));
}

} // namespace headroom::budget
