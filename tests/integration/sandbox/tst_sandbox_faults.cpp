// Fault injection, outages, window recovery, stats and reset of the sandbox,
// through a real QNAM client.
#include "tests/integration/sandbox/SandboxTestClient.h"
#include "core/sandbox/SandboxThread.h"

#include <QJsonArray>
#include <QTcpSocket>
#include <QtTest>

using namespace headroom::sandbox;
using Call = SandboxTestClient::Call;

class TestSandboxFaults : public QObject
{
    Q_OBJECT

private:
    SandboxThread m_sandbox;
    SandboxTestClient m_client;

    QUrl generic(const QString &path) const
    {
        return QUrl(m_sandbox.baseUrl(QStringLiteral("generic")).toString() + path);
    }
    QUrl admin(const QString &what) const
    {
        return QUrl(m_sandbox.baseUrl(QStringLiteral("__sandbox")).toString() + QLatin1Char('/') + what);
    }
    void setFaults(const QJsonObject &faults)
    {
        QJsonObject all{{"error500", 0}, {"error502", 0}, {"error503", 0}, {"drop", 0}, {"lostAnswer", 0}, {"latencyMs", 0}, {"jitterMs", 0}, {"stall", 0}, {"stallMs", 30000}, {"apis", QJsonArray()}};
        for (auto it = faults.begin(); it != faults.end(); ++it)
            all.insert(it.key(), it.value());
        QString error;
        QVERIFY2(m_sandbox.mergeConfig(QJsonObject{{"faults", all}}, &error), qPrintable(error));
    }

private slots:
    void initTestCase()
    {
        SandboxConfig config;
        config.apis[QStringLiteral("generic")].limit = 2;
        config.apis[QStringLiteral("generic")].window = std::chrono::milliseconds(300);
        config.faults.seed = 42;
        QString error;
        QVERIFY2(m_sandbox.start(config, 0, &error) != 0, qPrintable(error));
    }

    void init()
    {
        setFaults({});
        m_sandbox.reset();
    }

    void serverErrors_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("status");
        QTest::newRow("500") << "error500" << 500;
        QTest::newRow("502") << "error502" << 502;
        QTest::newRow("503") << "error503" << 503;
    }
    void serverErrors()
    {
        QFETCH(QString, key);
        QFETCH(int, status);
        setFaults({{key, 1.0}});
        const auto r = m_client.send("GET", generic("/x"));
        QCOMPARE(r.status, status);
        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value("accepted").toInt(), 0);
        QCOMPARE(stats.value("rejected").toObject().value(QString::number(status)).toInt(), 1);
    }

    void faultsHitOnlyTheNamedApis()
    {
        setFaults({{"error503", 1.0}, {"apis", QJsonArray{"segment-public"}}});
        QCOMPARE(m_client.send("GET", generic("/x")).status, 200);
    }

    void droppedConnection()
    {
        setFaults({{"drop", 1.0}});
        SandboxTestClient fresh; // a new connection pool: no keep-alive retry by QNAM
        const auto r = fresh.send("POST", generic("/x"), "{}");
        QCOMPARE(r.status, 0);
        QVERIFY2(r.error == QNetworkReply::RemoteHostClosedError || r.error == QNetworkReply::UnknownNetworkError,
                 qPrintable(QString::number(r.error)));
        QVERIFY(m_sandbox.stats().value("dropped").toInt() >= 1);
        QCOMPARE(m_sandbox.stats().value("accepted").toInt(), 0);
    }

    // The request is counted and applied, then the connection closes: the
    // client cannot tell a lost answer from a request that never arrived.
    void lostAnswerAfterAcceptance()
    {
        setFaults({{"lostAnswer", 1.0}});
        SandboxTestClient fresh;
        const auto r = fresh.send("POST", generic("/lost"), "{}");
        QCOMPARE(r.status, 0);
        const QJsonObject stats = m_sandbox.stats();
        // QNAM sends a request again once when a connection closes unanswered,
        // so the server may apply it twice: every acceptance lost its answer.
        QVERIFY(stats.value("accepted").toInt() >= 1);
        QCOMPARE(stats.value("apis").toObject().value("generic").toObject().value("lostAnswers").toInt(),
                 stats.value("accepted").toInt());
    }

    // The neighbour keeps spending on the server's timer while the client is quiet.
    void neighbourSpendsBetweenRequests()
    {
        QString error;
        QVERIFY2(m_sandbox.mergeConfig(QJsonObject{{"apis", QJsonObject{{"generic", QJsonObject{{"neighbourPerSecond", 40}}}}}},
                                       &error),
                 qPrintable(error));
        QCOMPARE(m_client.send("GET", generic("/first")).status, 200);
        const auto neighbourAttempts = [this] {
            const QJsonObject scope = m_sandbox.stats().value("scopes").toObject().value("generic/anonymous").toObject();
            return scope.value("neighbourAccepted").toInt() + scope.value("neighbourRejected").toInt();
        };
        QTRY_VERIFY_WITH_TIMEOUT(neighbourAttempts() >= 8, 5000);
        const QJsonObject scope = m_sandbox.stats().value("scopes").toObject().value("generic/anonymous").toObject();
        QVERIFY(scope.value("maxInWindow").toInt() <= 2);      // limit 2 per 300 ms, neighbour included
        QVERIFY(scope.value("neighbourRejected").toInt() > 0); // 40/s against 2 per 300 ms
        QVERIFY2(m_sandbox.mergeConfig(QJsonObject{{"apis", QJsonObject{{"generic", QJsonObject{{"neighbourPerSecond", 0}}}}}},
                                       &error),
                 qPrintable(error));
    }

    void addedLatency()
    {
        setFaults({{"latencyMs", 300}});
        const auto r = m_client.send("GET", generic("/x"));
        QCOMPARE(r.status, 200);
        QVERIFY2(r.elapsedMs >= 280, qPrintable(QString::number(r.elapsedMs)));
    }

    void longStall()
    {
        setFaults({{"stall", 1.0}, {"stallMs", 400}});
        const auto r = m_client.send("GET", generic("/x"));
        QCOMPARE(r.status, 200);
        QVERIFY2(r.elapsedMs >= 380, qPrintable(QString::number(r.elapsedMs)));
    }

    // The QHttpServer 6.4 crash: a delayed answer written after its client left.
    void delayedAnswerForAClientThatLeftIsDropped()
    {
        setFaults({{"latencyMs", 300}});
        SandboxTestClient leaving;
        QNetworkReply *reply = leaving.start(Call{"GET", generic("/leaving"), {}, {}});
        // Wait until the server took the request, then hang up before the answer.
        QTRY_COMPARE_WITH_TIMEOUT(m_sandbox.stats().value("accepted").toInt(), 1, 5000);
        reply->abort();
        reply->deleteLater();
        // A later request with the same latency is answered after the first timer fired.
        SandboxTestClient other;
        const auto r = other.send("GET", generic("/after"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.elapsedMs >= 280);
        setFaults({});
        QCOMPARE(m_client.send("GET", generic("/still-alive")).status, 200);
    }

    void outageFailsEverythingThenEnds()
    {
        const auto started = m_client.send("POST", admin("outage?seconds=0.6&mode=fail"));
        QCOMPARE(started.status, 200);
        QCOMPARE(m_client.send("GET", generic("/x")).status, 503);
        QCOMPARE(m_sandbox.stats().value("outageActive").toBool(), true);
        // Admin endpoints stay up during an outage.
        QCOMPARE(m_client.send("GET", admin("health")).status, 200);
        // Side effects in QTRY run more than once: stop sending once one got through.
        bool through = false;
        QTRY_VERIFY_WITH_TIMEOUT(through || (through = m_client.send("GET", generic("/x")).status == 200), 10000);
        QCOMPARE(m_sandbox.stats().value("outageActive").toBool(), false);
    }

    void outageRefusesConnectionsThenEnds()
    {
        m_sandbox.startOutage(0.6, OutageMode::Refuse);
        const auto r = m_client.send("GET", generic("/x"));
        QCOMPARE(r.status, 0);
        QVERIFY(r.error != QNetworkReply::NoError);
        SandboxTestClient fresh;
        const auto refused = fresh.send("GET", generic("/y"));
        QCOMPARE(refused.status, 0);
        QVERIFY(refused.error == QNetworkReply::ConnectionRefusedError
                || refused.error == QNetworkReply::RemoteHostClosedError);
        bool through = false;
        QTRY_VERIFY_WITH_TIMEOUT(through || (through = fresh.send("GET", generic("/z")).status == 200), 10000);
    }

    void outageOfZeroSecondsEndsOne()
    {
        m_sandbox.startOutage(60, OutageMode::Fail);
        QCOMPARE(m_client.send("GET", generic("/x")).status, 503);
        QCOMPARE(m_client.send("POST", admin("outage?seconds=0")).status, 200);
        QCOMPARE(m_client.send("GET", generic("/x")).status, 200);
        QCOMPARE(m_client.send("POST", admin("outage?seconds=abc")).status, 400);
    }

    void slidingWindowRecovers()
    {
        QCOMPARE(m_client.send("GET", generic("/1")).status, 200);
        QCOMPARE(m_client.send("GET", generic("/2")).status, 200);
        QCOMPARE(m_client.send("GET", generic("/3")).status, 429);
        bool through = false;
        QTRY_VERIFY_WITH_TIMEOUT(through || (through = m_client.send("GET", generic("/4")).status == 200), 5000);
        QCOMPARE(m_sandbox.stats().value("maxInWindow").toObject().value("generic/anonymous").toInt(), 2);
    }

    void statsAndResetOverHttp()
    {
        m_client.send("GET", generic("/a"), {}, {{"X-Headroom-Row", "5"}});
        m_client.send("GET", generic("/b"), {}, {{"X-Headroom-Row", "5"}});
        auto r = m_client.send("GET", admin("stats"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("accepted").toInt(), 2);
        QCOMPARE(r.json().value("duplicates").toInt(), 1);
        QVERIFY(!r.json().contains("identities"));
        r = m_client.send("GET", admin("stats?identities=1"));
        QCOMPARE(r.json().value("identities").toObject().value("row:5").toInt(), 2);
        QCOMPARE(r.json().value("apis").toObject().value("generic").toObject().value("accepted").toInt(), 2);

        QCOMPARE(m_client.send("POST", admin("reset")).status, 200);
        r = m_client.send("GET", admin("stats"));
        QCOMPARE(r.json().value("accepted").toInt(), 0);
        QCOMPARE(r.json().value("distinctIdentities").toInt(), 0);
        // Reset also empties the windows: two more are accepted at once.
        QCOMPARE(m_client.send("GET", generic("/c")).status, 200);
        QCOMPARE(m_client.send("GET", generic("/d")).status, 200);
        QCOMPARE(m_client.send("GET", admin("nope")).status, 404);
        QCOMPARE(m_client.send("GET", m_sandbox.baseUrl("no-such-api")).status, 404);
    }

    void configOverHttp()
    {
        auto r = m_client.send("POST", admin("config"), R"({"faults":{"error502":1}})");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("faults").toObject().value("error502").toDouble(), 1.0);
        QCOMPARE(m_client.send("GET", generic("/x")).status, 502);
        QCOMPARE(m_client.send("POST", admin("config"), "not json").status, 400);
        r = m_client.send("GET", admin("config"));
        QCOMPARE(r.json().value("apis").toObject().value("generic").toObject().value("limit").toInt(), 2);
    }

    void malformedHttpGetsAClearAnswer()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_sandbox.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("THIS IS NOT HTTP\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(socket.bytesAvailable() > 0 || socket.state() != QAbstractSocket::ConnectedState, 5000);
        QVERIFY(socket.readAll().startsWith("HTTP/1.1 400"));
    }

    void pipelinedRequestsAnswerInOrder()
    {
        setFaults({{"jitterMs", 50}});
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_sandbox.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /__sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     "GET /generic/first HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /generic/second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QByteArray all;
        QTRY_VERIFY_WITH_TIMEOUT((all += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState), 5000);
        all += socket.readAll();
        QCOMPARE(all.count("HTTP/1.1 200"), 3);
        QVERIFY(all.indexOf("/first") < all.indexOf("/second"));
    }

    void scheduledOutageFromConfig()
    {
        SandboxConfig config;
        config.faults.outageAfterSeconds = 0;
        config.faults.outageSeconds = 30;
        SandboxThread scheduled;
        QVERIFY(scheduled.start(config) != 0);
        const QUrl url(scheduled.baseUrl("generic").toString() + "/x");
        SandboxTestClient client;
        int status = 0;
        QTRY_VERIFY_WITH_TIMEOUT((status = client.send("GET", url).status) == 503, 5000);
        QCOMPARE(scheduled.stats().value("outageActive").toBool(), true);
    }

    void busyPortIsReported()
    {
        SandboxThread second;
        QString error;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot listen")));
        QCOMPARE(second.start(SandboxConfig(), m_sandbox.port(), &error), quint16(0));
        QVERIFY(!error.isEmpty());
        QVERIFY(!second.isRunning());
    }

    void cleanupTestCase() { m_sandbox.stop(); }
};

QTEST_GUILESS_MAIN(TestSandboxFaults)
#include "tst_sandbox_faults.moc"
