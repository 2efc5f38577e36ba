#pragma once

// A Redis of the test's own on a loopback port that speaks just enough RESP
// to be believed, and answers the budget script as the test chooses: a
// hostile or broken shared-budget server without a redis-server to break.
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

class HostileRedisServer : public QObject
{
    Q_OBJECT
public:
    // The answer to one command (its arguments as sent).
    using Answer = std::function<QByteArray(const QList<QByteArray> &)>;

    explicit HostileRedisServer(Answer answer)
        : m_answer(std::move(answer))
    {
    }

    bool listen() { return watch(new QTcpServer(this)); }
    // Over TLS with `tls`'s certificate and key (a rediss:// server).
    bool listenTls(const QSslConfiguration &tls)
    {
        auto *server = new QSslServer(this);
        server->setSslConfiguration(tls);
        return watch(server);
    }
    QString url(const QString &key, const QString &scheme = QStringLiteral("redis")) const
    {
        return QStringLiteral("%1://127.0.0.1:%2/0?key=%3").arg(scheme).arg(m_server->serverPort()).arg(key);
    }

    int connections = 0;
    int disconnections = 0;
    int commands = 0;
    int scriptCalls = 0;            // EVALSHA and EVAL
    QList<QByteArray> names;        // every command's name, in order
    QList<QList<QByteArray>> calls; // every command, in order

signals:
    void connected();
    void disconnected();
    void command(const QByteArray &name);

private:
    bool watch(QTcpServer *server)
    {
        m_server = server;
        // A QSslServer offers a connection once its handshake is done.
        connect(server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection()) {
                ++connections;
                s->setParent(this);
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onReadyRead(s); });
                connect(s, &QTcpSocket::disconnected, this, [this, s] {
                    ++disconnections;
                    emit disconnected();
                    s->deleteLater();
                });
                emit connected();
            }
        });
        return server->listen(QHostAddress::LocalHost, 0);
    }

    void onReadyRead(QTcpSocket *s)
    {
        QByteArray &buffer = m_buffers[s];
        buffer += s->readAll();
        QList<QByteArray> args;
        qsizetype used = 0;
        while ((used = parse(buffer, &args)) > 0) {
            buffer.remove(0, used);
            ++commands;
            const QByteArray name = args.value(0).toUpper();
            names << name;
            calls << args;
            if (name == "EVALSHA" || name == "EVAL")
                ++scriptCalls;
            s->write(m_answer(args));
            emit command(name);
        }
    }

    // One command, `*N` of `$len` strings: the bytes it took, 0 if incomplete.
    static qsizetype parse(const QByteArray &b, QList<QByteArray> *args)
    {
        args->clear();
        qsizetype at = 0;
        auto line = [&](QByteArray *out) {
            const qsizetype end = b.indexOf("\r\n", at);
            if (end < 0)
                return false;
            *out = b.mid(at, end - at);
            at = end + 2;
            return true;
        };
        QByteArray header;
        if (!line(&header) || !header.startsWith('*'))
            return 0;
        const int n = header.mid(1).toInt();
        for (int i = 0; i < n; ++i) {
            QByteArray length;
            if (!line(&length))
                return 0;
            const qsizetype len = length.mid(1).toLongLong();
            if (b.size() < at + len + 2)
                return 0;
            *args << b.mid(at, len);
            at += len + 2;
        }
        return at;
    }

    Answer m_answer;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
