// Measures the two facts that made the sandbox use its own HTTP/1.1 server
// instead of Qt HttpServer 6.4 (not a test; prints what happened):
//   probe_qhttpserver delayed     a QAbstractHttpServer answers 200 ms late
//                                  through a stored QHttpServerResponder after
//                                  the client has gone (the 6.4 crash)
//   probe_qhttpserver guarded     the same, but writing only while a
//                                  QPointer<QTcpSocket> is alive
//   probe_qhttpserver serve       a QHttpServer route answering at once; prints
//                                  {"port":N} so bench_sandbox.sh can load it
#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

class DelayedServer : public QAbstractHttpServer
{
public:
    explicit DelayedServer(bool guarded)
        : m_guarded(guarded)
    {
    }
    int received = 0;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        ++received;
        auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(200, this, [this, responder, guard] {
            if (m_guarded && !guard) {
                QTextStream(stdout) << "guarded: socket gone, answer skipped\n";
                return;
            }
            responder->write(QByteArrayLiteral("late"), "text/plain");
            QTextStream(stdout) << "wrote the late answer\n";
        });
        return true;
    }
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override {}

private:
    bool m_guarded;
};

int probeDelayed(bool guarded)
{
    DelayedServer server(guarded);
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    auto *client = new QTcpSocket;
    QObject::connect(client, &QTcpSocket::connected, client, [client] {
        client->write("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    });
    // Hang up as soon as the server has the request, before the late answer.
    auto *poll = new QTimer;
    QObject::connect(poll, &QTimer::timeout, poll, [&server, client, poll] {
        if (server.received > 0) {
            client->abort();
            client->deleteLater();
            poll->deleteLater();
        }
    });
    poll->start(1);
    client->connectToHost(QHostAddress::LocalHost, port);
    QTimer::singleShot(1000, qApp, [] {
        QTextStream(stdout) << "survived\n";
        QCoreApplication::exit(0);
    });
    return QCoreApplication::exec();
}

int serve()
{
    QHttpServer server;
    server.route(QStringLiteral("/generic/bench"), [] { return QStringLiteral("{\"ok\":true}"); });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    std::printf("{\"port\":%u}\n", unsigned(port));
    std::fflush(stdout);
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString mode = app.arguments().value(1);
    if (mode == QLatin1String("delayed"))
        return probeDelayed(false);
    if (mode == QLatin1String("guarded"))
        return probeDelayed(true);
    if (mode == QLatin1String("serve"))
        return serve();
    QTextStream(stderr) << "usage: probe_qhttpserver delayed|guarded|serve\n";
    return 2;
}
