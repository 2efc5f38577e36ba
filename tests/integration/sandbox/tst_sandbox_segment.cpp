// Segment Public and Tracking APIs of the sandbox, through a real QNAM client.
#include "tests/integration/sandbox/SandboxTestClient.h"
#include "core/sandbox/SandboxThread.h"

#include <QDateTime>
#include <QJsonArray>
#include <QtTest>

using namespace headroom::sandbox;
using Call = SandboxTestClient::Call;

class TestSandboxSegment : public QObject
{
    Q_OBJECT

private:
    SandboxThread m_sandbox;
    SandboxTestClient m_client;

    QUrl url(const QString &api, const QString &path) const
    {
        return QUrl(m_sandbox.baseUrl(api).toString() + path);
    }
    static QList<QPair<QByteArray, QByteArray>> publicAuth()
    {
        return {{"Authorization", SandboxTestClient::bearer("sandbox-token")}};
    }
    static QList<QPair<QByteArray, QByteArray>> trackingAuth()
    {
        return {{"Authorization", SandboxTestClient::basic("sandbox-write-key", "")}};
    }
    static QByteArray json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

private slots:
    void initTestCase()
    {
        SandboxConfig config;
        config.apis[QStringLiteral("segment-public")].limit = 5;
        config.apis[QStringLiteral("segment-public")].window = std::chrono::seconds(5);
        config.apis[QStringLiteral("segment-tracking")].limit = 4;
        config.apis[QStringLiteral("segment-tracking")].window = std::chrono::seconds(5);
        QString error;
        QVERIFY2(m_sandbox.start(config, 0, &error) != 0, qPrintable(error));
    }

    void init() { m_sandbox.reset(); }

    void publicAuthFailures_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("wrong token") << SandboxTestClient::bearer("nope");
        QTest::newRow("basic") << SandboxTestClient::basic("sandbox-token", "");
    }
    void publicAuthFailures()
    {
        QFETCH(QByteArray, authorization);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append(qMakePair(QByteArray("Authorization"), authorization));
        const auto r = m_client.send("GET", url("segment-public", "/sources"), {}, headers);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json().value("errors").toArray().size(), 1);
    }

    void publicHeadersOnEveryAnswer()
    {
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const auto r = m_client.send("PATCH", url("segment-public", "/sources/abc/settings"), R"({"enabled":true})", publicAuth());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("data").toObject().value("path").toString(), "/sources/abc/settings");
        QCOMPARE(r.header("X-RateLimit-Consumed"), QByteArray("1"));
        QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("4"));
        const QDateTime reset = SandboxTestClient::httpDate(r.header("X-RateLimit-Reset"));
        QVERIFY2(reset.isValid(), r.header("X-RateLimit-Reset").constData());
        QVERIFY(reset >= before.addSecs(4));
        QVERIFY(reset <= before.addSecs(7));
    }

    void publicFixedWindowBurst()
    {
        QList<Call> calls;
        for (int i = 0; i < 8; ++i)
            calls.append(Call{"GET", url("segment-public", QStringLiteral("/spaces/%1").arg(i)), {}, publicAuth()});
        const auto results = m_client.burst(calls);
        QCOMPARE(SandboxTestClient::count(results, 200), 5);
        QCOMPARE(SandboxTestClient::count(results, 429), 3);
        QList<int> consumed;
        for (const auto &r : results) {
            QVERIFY(r.hasHeader("X-RateLimit-Remaining"));
            QVERIFY(r.hasHeader("X-RateLimit-Reset"));
            if (r.status != 429)
                continue;
            QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("0"));
            const QJsonObject data = r.json().value("errors").toArray().at(0).toObject().value("data").toObject();
            QCOMPARE(data.value("remainingPoints").toInt(), 0);
            const int msBeforeNext = data.value("msBeforeNext").toInt(-1);
            QVERIFY2(msBeforeNext > 0 && msBeforeNext <= 5000, r.body.constData());
            consumed << data.value("consumedPoints").toInt();
        }
        std::sort(consumed.begin(), consumed.end());
        QCOMPARE(consumed, (QList<int>{6, 7, 8}));
        const QJsonObject scope = m_sandbox.stats().value("scopes").toObject().value("segment-public/sandbox-token").toObject();
        QCOMPARE(scope.value("maxInFixedWindow").toInt(), 5);
        QCOMPARE(scope.value("window").toString(), "fixed");
    }

    void trackingAuthFailures_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("unknown write key") << SandboxTestClient::basic("other", "");
        QTest::newRow("bearer") << SandboxTestClient::bearer("sandbox-write-key");
    }
    void trackingAuthFailures()
    {
        QFETCH(QByteArray, authorization);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append(qMakePair(QByteArray("Authorization"), authorization));
        QCOMPARE(m_client.send("POST", url("segment-tracking", "/v1/track"), R"({"userId":"1","event":"e"})", headers).status, 401);
    }

    void trackingValidation_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QJsonArray tooMany;
        for (int i = 0; i < 2501; ++i)
            tooMany.append(QJsonObject{{"userId", QString::number(i)}});
        QJsonArray bigEvent{QJsonObject{{"userId", "1"}, {"properties", QJsonObject{{"p", QString(33 * 1024, QLatin1Char('p'))}}}}};
        QJsonArray bigBatch;
        for (int i = 0; i < 20; ++i)
            bigBatch.append(QJsonObject{{"userId", QString::number(i)}, {"properties", QJsonObject{{"p", QString(30 * 1024, QLatin1Char('p'))}}}});
        QTest::newRow("malformed") << "/v1/identify" << QByteArray("{");
        QTest::newRow("no user") << "/v1/identify" << QByteArray(R"({"traits":{}})");
        QTest::newRow("track without event") << "/v1/track" << QByteArray(R"({"userId":"1"})");
        QTest::newRow("call over 32 KB") << "/v1/identify"
                                         << json({{"userId", "1"}, {"traits", QJsonObject{{"p", QString(33 * 1024, QLatin1Char('p'))}}}});
        QTest::newRow("batch over 2500 events") << "/v1/batch" << json({{"batch", tooMany}});
        QTest::newRow("event over 32 KB in batch") << "/v1/batch" << json({{"batch", bigEvent}});
        QTest::newRow("batch over 500 KB") << "/v1/batch" << json({{"batch", bigBatch}});
        QTest::newRow("batch item without user") << "/v1/batch" << QByteArray(R"({"batch":[{"userId":"1"},{"event":"x"}]})");
    }
    void trackingValidation()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const auto r = m_client.send("POST", url("segment-tracking", path), body, trackingAuth());
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value("success").toBool(true), false);
        QCOMPARE(m_sandbox.stats().value("accepted").toInt(), 0);
    }

    void trackingBatchCountsItems()
    {
        QJsonArray batch;
        for (int i = 0; i < 2500; ++i)
            batch.append(QJsonObject{{"type", "track"}, {"event", "e"}, {"userId", QString::number(i)}, {"messageId", QStringLiteral("m-%1").arg(i)}});
        const auto r = m_client.send("POST", url("segment-tracking", "/v1/batch"), json({{"batch", batch}}), trackingAuth());
        QCOMPARE(r.status, 200);
        const QJsonObject stats = m_sandbox.stats(true);
        QCOMPARE(stats.value("acceptedItems").toInt(), 2500);
        QCOMPARE(stats.value("distinctIdentities").toInt(), 2500);
        QCOMPARE(stats.value("identities").toObject().value("messageId:m-2499").toInt(), 1);
    }

    // Segment drops a call whose messageId it has seen, single or in a batch.
    void trackingResentMessageIdIsDropped()
    {
        const QByteArray one(R"({"userId":"u1","event":"paid","messageId":"headroom-01HK153X00ABCDEFGHJKMNPQRS"})");
        QCOMPARE(m_client.send("POST", url("segment-tracking", "/v1/track"), one, trackingAuth()).status, 200);
        QCOMPARE(m_client.send("POST", url("segment-tracking", "/v1/track"), one, trackingAuth()).status, 200);
        const QByteArray batch(R"({"batch":[{"type":"track","userId":"u1","event":"paid","messageId":"headroom-01HK153X00ABCDEFGHJKMNPQRS"},)"
                               R"({"type":"track","userId":"u2","event":"paid","messageId":"m-2"}]})");
        QCOMPARE(m_client.send("POST", url("segment-tracking", "/v1/batch"), batch, trackingAuth()).status, 200);
        const QJsonObject stats = m_sandbox.stats(true);
        QCOMPARE(stats.value("duplicatesDropped").toInt(), 2);
        QCOMPARE(stats.value("duplicates").toInt(), 0);
        QCOMPARE(stats.value("distinctIdentities").toInt(), 2);
    }

    void trackingBurstCarriesRetryAfterAndResetSeconds()
    {
        QList<Call> calls;
        for (int i = 0; i < 6; ++i)
            calls.append(Call{"POST", url("segment-tracking", "/v1/identify"),
                              json({{"userId", QString::number(i)}}), trackingAuth()});
        const auto results = m_client.burst(calls);
        QCOMPARE(SandboxTestClient::count(results, 200), 4);
        QCOMPARE(SandboxTestClient::count(results, 429), 2);
        for (const auto &r : results) {
            if (r.status == 200) {
                QVERIFY(!r.hasHeader("Retry-After"));
                QVERIFY(!r.hasHeader("X-RateLimit-Reset"));
                continue;
            }
            bool ok = false;
            QVERIFY(r.header("Retry-After").toInt(&ok) >= 1 && ok);
            const int reset = r.header("X-RateLimit-Reset").toInt(&ok);
            QVERIFY(ok && reset >= 1 && reset <= 5);
        }
    }

    void cleanupTestCase() { m_sandbox.stop(); }
};

QTEST_GUILESS_MAIN(TestSandboxSegment)
#include "tst_sandbox_segment.moc"
