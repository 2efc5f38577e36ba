// A hostile client of the sandbox: it sends while its answer is pending,
// never ends a request, or is a web page trying the admin endpoints. Each is
// bounded or refused; asserted by what the client sees (status, the server
// closing), never by sleeping.
#include "core/sandbox/SandboxServer.h"

#include <QTcpSocket>
#include <QtTest>

using namespace headroom::sandbox;
using namespace std::chrono_literals;

class TestSandboxHostile : public QObject
{
    Q_OBJECT

    std::unique_ptr<SandboxServer> m_server;

    // Sends `bytes` and returns what came back once the server closed.
    QByteArray exchange(const QByteArray &bytes, int timeoutMs = 10000)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        socket.write(bytes);
        QByteArray all;
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT((all += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState),
                                     timeoutMs);
        }();
        return all + socket.readAll();
    }

    QByteArray host() const { return "127.0.0.1:" + QByteArray::number(m_server->port()); }

private slots:
    void init()
    {
        SandboxConfig config;
        config.maxBodyBytes = 64 * 1024;
        config.faults.latencyMs = 30000; // every answer pending for the whole test
        m_server = std::make_unique<SandboxServer>(config);
        m_server->setRequestTimeout(300ms);
        QVERIFY(m_server->listen());
    }

    void cleanup() { m_server.reset(); }

    void sendingWhileTheAnswerIsPendingIsCutOff()
    {
        // Before: every byte was kept (2,000 MB sent → 2.09 GB resident).
        const QByteArray request = "GET /generic/x HTTP/1.1\r\nHost: " + host() + "\r\n\r\n";
        const QByteArray answer = exchange(request + QByteArray(4 * 1024 * 1024, 'x'));
        QVERIFY2(!answer.startsWith("HTTP/1.1 200"), answer.left(100).constData()); // the delayed answer never came
    }

    void unfinishedRequestTimesOut_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("head") << QByteArray("GET /generic/x HTTP/1.1\r\nHost: 12");
        QTest::newRow("body") << QByteArray("POST /generic/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc");
        QTest::newRow("chunk") << QByteArray("POST /generic/x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
    }

    void unfinishedRequestTimesOut()
    {
        // Before: held for ever (3,000 such connections held at once).
        QFETCH(QByteArray, bytes);
        const QByteArray answer = exchange(bytes);
        QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
    }

    void endlessChunkSizeLineIsRefused()
    {
        const QByteArray answer = exchange("POST /generic/x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           + QByteArray(100'000, '1'));
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
    }

    void adminAnswersOnlyThisMachine_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        const QByteArray json = "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        QTest::newRow("another host name (DNS rebinding)")
            << QByteArray("POST /__sandbox/reset HTTP/1.1\r\nHost: evil.example:PORT\r\nConnection: close\r\n\r\n") << 403;
        QTest::newRow("no host") << QByteArray("GET /__sandbox/config HTTP/1.0\r\n\r\n") << 403;
        QTest::newRow("another origin")
            << QByteArray("GET /__sandbox/config HTTP/1.1\r\nHost: HOST\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n")
            << 403;
        QTest::newRow("opaque origin")
            << QByteArray("POST /__sandbox/outage?seconds=5 HTTP/1.1\r\nHost: HOST\r\nOrigin: null\r\nConnection: close\r\n\r\n")
            << 403;
        QTest::newRow("text/plain form")
            << QByteArray("POST /__sandbox/config HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n"
                          "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}")
            << 415;
        QTest::newRow("body without a type")
            << QByteArray("POST /__sandbox/config HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")
            << 415;
        QTest::newRow("own page, JSON")
            << QByteArray("POST /__sandbox/config HTTP/1.1\r\nHost: HOST\r\nOrigin: http://HOST\r\nConnection: close\r\n" + json)
            << 200;
        QTest::newRow("localhost, no body")
            << QByteArray("POST /__sandbox/reset HTTP/1.1\r\nHost: localhost:PORT\r\nConnection: close\r\n\r\n") << 200;
        QTest::newRow("health") << QByteArray("GET /__sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                                << 200;
    }

    void adminAnswersOnlyThisMachine()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        request.replace("HOST", host()).replace("PORT", QByteArray::number(m_server->port()));
        const QByteArray answer = exchange(request);
        QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status)), answer.constData());
    }
};

QTEST_GUILESS_MAIN(TestSandboxHostile)
#include "tst_sandbox_hostile.moc"
