// Customer.io Track and App APIs of the sandbox, through a real QNAM client.
#include "tests/integration/sandbox/SandboxTestClient.h"
#include "core/sandbox/SandboxThread.h"

#include <QJsonArray>
#include <QtTest>

using namespace headroom::sandbox;
using Call = SandboxTestClient::Call;

class TestSandboxCustomerIo : public QObject
{
    Q_OBJECT

private:
    SandboxThread m_sandbox;
    SandboxTestClient m_client;

    QUrl track(const QString &path) const
    {
        return QUrl(m_sandbox.baseUrl(QStringLiteral("customerio-track")).toString() + path);
    }
    QUrl app(const QString &path) const
    {
        return QUrl(m_sandbox.baseUrl(QStringLiteral("customerio-app")).toString() + path);
    }
    static QList<QPair<QByteArray, QByteArray>> trackAuth()
    {
        return {{"Authorization", SandboxTestClient::basic("sandbox-site", "sandbox-key")}};
    }
    static QList<QPair<QByteArray, QByteArray>> appAuth()
    {
        return {{"Authorization", SandboxTestClient::bearer("sandbox-token")}};
    }
    static QByteArray json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

private slots:
    void initTestCase()
    {
        SandboxConfig config;
        // A long window so a burst always lands inside one window, even under sanitizers.
        config.apis[QStringLiteral("customerio-track")].limit = 5;
        config.apis[QStringLiteral("customerio-track")].window = std::chrono::seconds(5);
        config.apis[QStringLiteral("customerio-app")].generalWindowMs = 5000;
        QString error;
        QVERIFY2(m_sandbox.start(config, 0, &error) != 0, qPrintable(error));
    }

    void init() { m_sandbox.reset(); }

    void trackAuthFailures_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("wrong key") << SandboxTestClient::basic("sandbox-site", "nope");
        QTest::newRow("unknown site") << SandboxTestClient::basic("other-site", "sandbox-key");
        QTest::newRow("bearer instead of basic") << SandboxTestClient::bearer("sandbox-token");
        QTest::newRow("not base64") << QByteArray("Basic %%%");
    }
    void trackAuthFailures()
    {
        QFETCH(QByteArray, authorization);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append(qMakePair(QByteArray("Authorization"), authorization));
        const auto r = m_client.send("PUT", track("/api/v1/customers/1"), "{}", headers);
        QCOMPARE(r.status, 401);
        QVERIFY(!r.json().value("meta").toObject().value("error").toString().isEmpty());
        QCOMPARE(m_sandbox.stats().value("accepted").toInt(), 0);
    }

    void trackOperationsAccepted_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("identity");
        QTest::newRow("identify") << QByteArray("PUT") << "/api/v1/customers/42" << QByteArray(R"({"email":"a@example.com"})") << "customer:42";
        QTest::newRow("track") << QByteArray("POST") << "/api/v1/customers/42/events" << QByteArray(R"({"name":"purchase","data":{"x":1}})") << "customer:42";
        QTest::newRow("track with dedupe id") << QByteArray("POST") << "/api/v1/customers/42/events" << QByteArray(R"({"name":"purchase","id":"ev-1"})") << "id:ev-1";
        QTest::newRow("anonymous event") << QByteArray("POST") << "/api/v1/events" << QByteArray(R"({"name":"visit","anonymous_id":"anon-7"})") << "anonymousId:anon-7";
        QTest::newRow("suppress") << QByteArray("POST") << "/api/v1/customers/43/suppress" << QByteArray() << "customer:43";
        QTest::newRow("delete") << QByteArray("DELETE") << "/api/v1/customers/44" << QByteArray() << "customer:44";
        QTest::newRow("escaped id") << QByteArray("PUT") << "/api/v1/customers/a b@c" << QByteArray("{}") << "customer:a b@c";
    }
    void trackOperationsAccepted()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, identity);
        const auto r = m_client.send(method, track(path), body, trackAuth());
        QCOMPARE(r.status, 200);
        const QJsonObject stats = m_sandbox.stats(true);
        QCOMPARE(stats.value("accepted").toInt(), 1);
        QCOMPARE(stats.value("identities").toObject().value(identity).toInt(), 1);
    }

    void rowHeaderNamesTheRow()
    {
        auto headers = trackAuth();
        headers.append(qMakePair(QByteArray("X-Headroom-Row"), QByteArray("17")));
        QCOMPARE(m_client.send("PUT", track("/api/v1/customers/9"), "{}", headers).status, 200);
        QCOMPARE(m_client.send("PUT", track("/api/v1/customers/9"), "{}", headers).status, 200);
        const QJsonObject stats = m_sandbox.stats(true);
        QCOMPARE(stats.value("identities").toObject().value("row:17").toInt(), 2);
        QCOMPARE(stats.value("duplicates").toInt(), 1);
        QCOMPARE(stats.value("distinctIdentities").toInt(), 1);
    }

    // Customer.io processes one event per `id`: a resend is answered 200 and dropped.
    void eventResentWithItsIdIsDropped()
    {
        const QByteArray body(R"({"name":"purchase","id":"01HK153X00ABCDEFGHJKMNPQRS","data":{}})");
        QCOMPARE(m_client.send("POST", track("/api/v1/customers/42/events"), body, trackAuth()).status, 200);
        QCOMPARE(m_client.send("POST", track("/api/v1/customers/42/events"), body, trackAuth()).status, 200);
        const QByteArray batch(R"({"batch":[{"type":"person","identifiers":{"id":"42"},"action":"event","name":"purchase","id":"01HK153X00ABCDEFGHJKMNPQRS","attributes":{}}]})");
        QCOMPARE(m_client.send("POST", track("/api/v2/batch"), batch, trackAuth()).status, 200);
        const QJsonObject stats = m_sandbox.stats(true);
        QCOMPARE(stats.value("accepted").toInt(), 3);
        QCOMPARE(stats.value("duplicatesDropped").toInt(), 2);
        QCOMPARE(stats.value("duplicates").toInt(), 0);
        QCOMPARE(stats.value("identities").toObject().value("id:01HK153X00ABCDEFGHJKMNPQRS").toInt(), 1);
    }

    void trackValidation_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");

        QJsonObject many;
        for (int i = 0; i < 301; ++i)
            many.insert(QStringLiteral("a%1").arg(i), i);
        QJsonObject longName{{QString(151, QLatin1Char('n')), 1}};
        QJsonObject longValue{{QStringLiteral("v"), QString(1001, QLatin1Char('x'))}};
        QJsonObject bigData{{QStringLiteral("name"), QStringLiteral("e")},
                            {QStringLiteral("data"), QJsonObject{{QStringLiteral("blob"), QString(100001, QLatin1Char('d'))}}}};
        QTest::newRow("malformed JSON") << QByteArray("PUT") << "/api/v1/customers/1" << QByteArray("{not json");
        QTest::newRow("JSON array body") << QByteArray("PUT") << "/api/v1/customers/1" << QByteArray("[1]");
        QTest::newRow("301 attributes") << QByteArray("PUT") << "/api/v1/customers/1" << json(many);
        QTest::newRow("attribute name 151 bytes") << QByteArray("PUT") << "/api/v1/customers/1" << json(longName);
        QTest::newRow("attribute value 1001 bytes") << QByteArray("PUT") << "/api/v1/customers/1" << json(longValue);
        QTest::newRow("event without name") << QByteArray("POST") << "/api/v1/customers/1/events" << QByteArray(R"({"data":{}})");
        QTest::newRow("event name 101 bytes") << QByteArray("POST") << "/api/v1/customers/1/events"
                                              << json({{QStringLiteral("name"), QString(101, QLatin1Char('e'))}});
        QTest::newRow("event data over 100000 bytes") << QByteArray("POST") << "/api/v1/customers/1/events" << json(bigData);
        QTest::newRow("anonymous event name 101 bytes") << QByteArray("POST") << "/api/v1/events"
                                                        << json({{QStringLiteral("name"), QString(101, QLatin1Char('e'))}});
        QTest::newRow("customer id 151 bytes") << QByteArray("PUT") << QStringLiteral("/api/v1/customers/") + QString(151, QLatin1Char('c')) << QByteArray("{}");
        QTest::newRow("batch over 500 KB") << QByteArray("POST") << "/api/v2/batch"
                                           << json({{QStringLiteral("batch"), QJsonArray{QJsonObject{{QStringLiteral("pad"), QString(520 * 1024, QLatin1Char('p'))}}}}});
        QTest::newRow("batch not an array") << QByteArray("POST") << "/api/v2/batch" << QByteArray(R"({"batch":{}})");
        QTest::newRow("batch malformed") << QByteArray("POST") << "/api/v2/batch" << QByteArray("{");
    }
    void trackValidation()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const auto r = m_client.send(method, track(path), body, trackAuth());
        QCOMPARE(r.status, 400);
        QVERIFY2(!r.json().value("meta").toObject().value("error").toString().isEmpty()
                     || !r.json().value("errors").toArray().isEmpty(),
                 r.body.constData());
        QCOMPARE(m_sandbox.stats().value("accepted").toInt(), 0);
    }

    void limitsAtTheEdgeAreAccepted()
    {
        QJsonObject attrs;
        for (int i = 0; i < 299; ++i)
            attrs.insert(QStringLiteral("a%1").arg(i), i);
        attrs.insert(QString(150, QLatin1Char('n')), QString(1000, QLatin1Char('v')));
        QCOMPARE(m_client.send("PUT", track("/api/v1/customers/1"), json(attrs), trackAuth()).status, 200);
        QCOMPARE(m_client.send("POST", track("/api/v1/customers/1/events"),
                               json({{QStringLiteral("name"), QString(100, QLatin1Char('e'))}}), trackAuth())
                     .status,
                 200);
    }

    void batchValidatesEachItem()
    {
        const QJsonArray batch{
            QJsonObject{{"type", "person"}, {"action", "identify"}, {"identifiers", QJsonObject{{"id", "1"}}}, {"attributes", QJsonObject{{"plan", "pro"}}}},
            QJsonObject{{"type", "person"}, {"action", "identify"}, {"identifiers", QJsonObject{}}},
            QJsonObject{{"type", "person"}, {"action", "event"}, {"identifiers", QJsonObject{{"id", "3"}}}, {"name", QString(101, QLatin1Char('e'))}},
            QJsonObject{{"type", "person"}, {"action", "event"}, {"identifiers", QJsonObject{{"id", "4"}}}, {"name", "signup"}, {"id", "ev-4"}},
            QJsonObject{{"type", "bogus"}, {"action", "identify"}},
            QJsonObject{{"type", "person"}, {"action", "identify"}, {"identifiers", QJsonObject{{"id", QString(151, QLatin1Char('i'))}}}},
        };
        const auto r = m_client.send("POST", track("/api/v2/batch"), json({{"batch", batch}}), trackAuth());
        QCOMPARE(r.status, 207);
        const QJsonArray errors = r.json().value("errors").toArray();
        QCOMPARE(errors.size(), 4);
        QCOMPARE(errors.at(0).toObject().value("batch_index").toInt(), 1);
        QCOMPARE(errors.at(1).toObject().value("batch_index").toInt(), 2);
        QCOMPARE(errors.at(2).toObject().value("batch_index").toInt(), 4);
        QCOMPARE(errors.at(3).toObject().value("batch_index").toInt(), 5); // an id over 150 bytes
        QCOMPARE(errors.at(3).toObject().value("field").toString(), QStringLiteral("identifiers"));
        const QJsonObject stats = m_sandbox.stats(true);
        QCOMPARE(stats.value("accepted").toInt(), 1);
        QCOMPARE(stats.value("acceptedItems").toInt(), 2);
        QCOMPARE(stats.value("identities").toObject().value("customer:1").toInt(), 1);
        QCOMPARE(stats.value("identities").toObject().value("id:ev-4").toInt(), 1);
    }

    void batchAllValid()
    {
        QJsonArray batch;
        for (int i = 0; i < 10; ++i) {
            batch.append(QJsonObject{{"type", "person"}, {"action", "identify"}, {"identifiers", QJsonObject{{"id", QString::number(i)}}}});
        }
        const auto r = m_client.send("POST", track("/api/v2/batch"), json({{"batch", batch}}), trackAuth());
        QCOMPARE(r.status, 200);
        QCOMPARE(m_sandbox.stats().value("acceptedItems").toInt(), 10);
    }

    void burstOverTheLimitGetsExactly429s()
    {
        QList<Call> calls;
        for (int i = 0; i < 8; ++i)
            calls.append(Call{"PUT", track(QStringLiteral("/api/v1/customers/%1").arg(i)), "{}", trackAuth()});
        const auto results = m_client.burst(calls);
        QCOMPARE(SandboxTestClient::count(results, 200), 5);
        QCOMPARE(SandboxTestClient::count(results, 429), 3);
        for (const auto &r : results) {
            if (r.status != 429)
                continue;
            bool ok = false;
            const int retryAfter = r.header("Retry-After").toInt(&ok);
            QVERIFY(ok);
            QVERIFY(retryAfter >= 1 && retryAfter <= 5);
            QVERIFY(!r.json().value("meta").toObject().value("error").toString().isEmpty());
        }
        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value("maxInWindow").toObject().value("customerio-track/sandbox-site").toInt(), 5);
        QCOMPARE(stats.value("rejected").toObject().value("429").toInt(), 3);
    }

    void sendEmailSharesTheWorkspaceLimit()
    {
        QList<Call> calls;
        for (int i = 0; i < 3; ++i)
            calls.append(Call{"PUT", track(QStringLiteral("/api/v1/customers/%1").arg(i)), "{}", trackAuth()});
        QCOMPARE(SandboxTestClient::count(m_client.burst(calls), 200), 3);
        calls.clear();
        const QByteArray email = R"({"transactional_message_id":"1","identifiers":{"id":"7"}})";
        for (int i = 0; i < 4; ++i)
            calls.append(Call{"POST", app("/v1/send/email"), email, appAuth()});
        const auto results = m_client.burst(calls);
        QCOMPARE(SandboxTestClient::count(results, 200), 2);
        QCOMPARE(SandboxTestClient::count(results, 429), 2);
        for (const auto &r : results) {
            if (r.status == 429)
                QCOMPARE(r.json().value("meta").toObject().value("error").toString(),
                         QStringLiteral("rate limited to 5 requests per 5s"));
        }
        QCOMPARE(m_sandbox.stats().value("maxInWindow").toObject().value("customerio-track/sandbox-site").toInt(), 5);
    }

    void appAuthAndValidation()
    {
        QCOMPARE(m_client.send("POST", app("/v1/send/email"), "{}").status, 401);
        QCOMPARE(m_client.send("POST", app("/v1/send/email"), "{}",
                               {{"Authorization", SandboxTestClient::bearer("wrong")}})
                     .status,
                 401);
        QCOMPARE(m_client.send("POST", app("/v1/send/email"), "{", appAuth()).status, 400);
        QCOMPARE(m_client.send("POST", app("/v1/send/email"), R"({"identifiers":{"id":"1"}})", appAuth()).status, 400);
        QCOMPARE(m_client.send("POST", app("/v1/nothing"), "{}", appAuth()).status, 404);
    }

    void broadcastTriggersOnePerWindowPerBroadcast()
    {
        // Default: 1 per 10 s per broadcast.
        QCOMPARE(m_client.send("POST", app("/v1/campaigns/12/triggers"), "{}", appAuth()).status, 200);
        const auto second = m_client.send("POST", app("/v1/campaigns/12/triggers"), "{}", appAuth());
        QCOMPARE(second.status, 429);
        QVERIFY(second.header("Retry-After").toInt() >= 9);
        // The App API's own words for the refusing scope's limit.
        QCOMPARE(second.json().value("meta").toObject().value("error").toString(),
                 QStringLiteral("rate limited to 1 requests per 10s"));
        QCOMPARE(m_client.send("POST", app("/v1/campaigns/13/triggers"), "{}", appAuth()).status, 200);
    }

    void otherEndpointsShareTheGeneralLimit()
    {
        QCOMPARE(ApiPolicy::defaultsFor(QStringLiteral("customerio-app")).generalLimit, 10);
        QCOMPARE(ApiPolicy::defaultsFor(QStringLiteral("customerio-app")).generalWindowMs, 1000);
        QList<Call> calls;
        for (int i = 0; i < 6; ++i)
            calls.append(Call{"GET", app(QStringLiteral("/v1/customers/%1/attributes").arg(i)), {}, appAuth()});
        for (int i = 0; i < 6; ++i)
            calls.append(Call{"GET", app(QStringLiteral("/v1/segments/%1").arg(i)), {}, appAuth()});
        const auto results = m_client.burst(calls);
        QCOMPARE(SandboxTestClient::count(results, 200), 10);
        QCOMPARE(SandboxTestClient::count(results, 429), 2);
        for (const auto &r : results) {
            if (r.status != 429)
                continue;
            // The documented words, and Retry-After in whole seconds.
            QCOMPARE(r.json().value("meta").toObject().value("error").toString(),
                     QStringLiteral("rate limited to 10 requests per 5s"));
            bool ok = false;
            const int retryAfter = r.header("Retry-After").toInt(&ok);
            QVERIFY(ok);
            QVERIFY(retryAfter >= 1 && retryAfter <= 5);
        }
        // Transactional sends and broadcast triggers have limits of their own.
        QCOMPARE(m_client.send("POST", app("/v1/send/email"), R"({"transactional_message_id":1,"identifiers":{"id":"1"}})", appAuth()).status, 200);
        QCOMPARE(m_client.send("POST", app("/v1/campaigns/5/triggers"), "{}", appAuth()).status, 200);
        QCOMPARE(m_client.send("GET", app("/v1/campaigns"), {}, appAuth()).status, 429);
        QCOMPARE(m_sandbox.stats().value("maxInWindow").toObject().value("customerio-app/sandbox-token").toInt(), 10);
    }

    void cleanupTestCase() { m_sandbox.stop(); }
};

QTEST_GUILESS_MAIN(TestSandboxCustomerIo)
#include "tst_sandbox_customerio.moc"
