// Header dialects and the generic REST API: Retry-After forms, X-RateLimit-*
// reset formats, the IETF RateLimit pair, hidden mode, optional auth.
#include "tests/integration/sandbox/SandboxTestClient.h"
#include "core/sandbox/SandboxThread.h"

#include <QDateTime>
#include <QtTest>

using namespace headroom::sandbox;
using Call = SandboxTestClient::Call;

class TestSandboxDialects : public QObject
{
    Q_OBJECT

private:
    SandboxThread m_sandbox;
    SandboxTestClient m_client;

    QUrl generic(const QString &path) const
    {
        return QUrl(m_sandbox.baseUrl(QStringLiteral("generic")).toString() + path);
    }
    void configureGeneric(const QJsonObject &policy)
    {
        QJsonObject base{{"limit", 2}, {"windowMs", 5000}, {"window", "sliding"}, {"retryAfter", "seconds"}, {"xRateLimit", "off"}, {"resetFormat", "http-date"}, {"ietf", false}, {"hidden", false}, {"auth", false}};
        for (auto it = policy.begin(); it != policy.end(); ++it)
            base.insert(it.key(), it.value());
        QString error;
        QVERIFY2(m_sandbox.mergeConfig(QJsonObject{{"apis", QJsonObject{{"generic", base}}}}, &error), qPrintable(error));
        m_sandbox.reset();
    }
    // Two accepted, then the third is limited.
    SandboxTestClient::Result thirdCall()
    {
        m_client.send("GET", generic("/items/1"));
        m_client.send("GET", generic("/items/2"));
        return m_client.send("GET", generic("/items/3"));
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_sandbox.start(SandboxConfig(), 0, &error) != 0, qPrintable(error));
    }

    void genericEchoesTheRequest()
    {
        configureGeneric({});
        const auto r = m_client.send("POST", generic("/v2/things?x=1"), R"({"a":1})");
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("method").toString(), "POST");
        QCOMPARE(o.value("path").toString(), "/v2/things");
        QCOMPARE(o.value("query").toString(), "x=1");
        QCOMPARE(o.value("body").toObject().value("a").toInt(), 1);
        // No rate headers unless configured.
        QVERIFY(!r.hasHeader("X-RateLimit-Remaining"));
        QVERIFY(!r.hasHeader("RateLimit"));
        QCOMPARE(m_client.send("POST", generic("/v2/things"), "{oops").status, 400);
    }

    void genericStatusRouteAnswersThatStatusBeforeTheLimit()
    {
        configureGeneric({{"limit", 1}});
        QCOMPARE(m_client.send("POST", generic("/status/400"), "{}").status, 400);
        QCOMPARE(m_client.send("GET", generic("/status/503")).status, 503);
        QVERIFY(m_client.send("GET", generic("/status/503")).json().value("error").toString().contains("503"));
        // Neither used the one slot of the window.
        QCOMPARE(m_client.send("GET", generic("/items/1")).status, 200);
        // Out of range: an ordinary echo.
        QCOMPARE(m_client.send("GET", generic("/status/200")).status, 429);
    }

    void genericDefaultLimitIs50PerSecond()
    {
        const SandboxConfig defaults;
        QCOMPARE(defaults.policy("generic").limit, 50);
        QCOMPARE(defaults.policy("generic").windowMs(), 1000);
        QCOMPARE(defaults.policy("generic").kind, WindowKind::Sliding);
        QCOMPARE(defaults.policy("customerio-track").limit, 100);
        QCOMPARE(defaults.policy("segment-public").kind, WindowKind::Fixed);
    }

    void retryAfterSeconds()
    {
        configureGeneric({{"retryAfter", "seconds"}});
        const auto r = thirdCall();
        QCOMPARE(r.status, 429);
        bool ok = false;
        const int seconds = r.header("Retry-After").toInt(&ok);
        QVERIFY(ok && seconds >= 1 && seconds <= 5);
    }

    void retryAfterHttpDate()
    {
        configureGeneric({{"retryAfter", "http-date"}});
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const auto r = thirdCall();
        QCOMPARE(r.status, 429);
        const QDateTime at = SandboxTestClient::httpDate(r.header("Retry-After"));
        QVERIFY2(at.isValid(), r.header("Retry-After").constData());
        QVERIFY(r.header("Retry-After").endsWith(" GMT"));
        QVERIFY(at > before);
        QVERIFY(at <= before.addSecs(7));
    }

    void retryAfterNone()
    {
        configureGeneric({{"retryAfter", "none"}});
        const auto r = thirdCall();
        QCOMPARE(r.status, 429);
        QVERIFY(!r.hasHeader("Retry-After"));
    }

    void xRateLimitResetFormats_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("seconds") << "seconds";
        QTest::newRow("epoch") << "epoch";
        QTest::newRow("http-date") << "http-date";
    }
    void xRateLimitResetFormats()
    {
        QFETCH(QString, format);
        configureGeneric({{"xRateLimit", "always"}, {"resetFormat", format}});
        const qint64 nowEpoch = QDateTime::currentSecsSinceEpoch();
        const auto r = m_client.send("GET", generic("/x"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("2"));
        QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("1"));
        const QByteArray reset = r.header("X-RateLimit-Reset");
        qint64 resetEpoch = 0;
        if (format == "seconds")
            resetEpoch = nowEpoch + reset.toLongLong();
        else if (format == "epoch")
            resetEpoch = reset.toLongLong();
        else
            resetEpoch = SandboxTestClient::httpDate(reset).toSecsSinceEpoch();
        QVERIFY2(resetEpoch >= nowEpoch + 4 && resetEpoch <= nowEpoch + 7, reset.constData());
    }

    void xRateLimitOnlyOn429()
    {
        configureGeneric({{"xRateLimit", "on429"}});
        QVERIFY(!m_client.send("GET", generic("/a")).hasHeader("X-RateLimit-Remaining"));
        m_client.send("GET", generic("/b"));
        const auto r = m_client.send("GET", generic("/c"));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("0"));
    }

    void ietfHeaders()
    {
        configureGeneric({{"ietf", true}});
        const auto r = m_client.send("GET", generic("/a"));
        QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"default\";q=2;w=5"));
        QVERIFY2(r.header("RateLimit").startsWith("\"default\";r=1;t="), r.header("RateLimit").constData());
    }

    void hiddenModeSendsNoRateSignal()
    {
        configureGeneric({{"hidden", true}, {"ietf", true}, {"xRateLimit", "always"}, {"retryAfter", "seconds"}});
        const auto r = thirdCall();
        QCOMPARE(r.status, 429);
        for (const auto &h : r.headers) {
            const QByteArray name = h.first.toLower();
            QVERIFY2(!name.startsWith("x-ratelimit") && !name.startsWith("ratelimit") && name != "retry-after",
                     name.constData());
        }
    }

    void hiddenSegmentPublicHasNoBodyDetails()
    {
        QString error;
        QVERIFY(m_sandbox.mergeConfig(QJsonObject{{"apis", QJsonObject{{"segment-public",
                                                                        QJsonObject{{"limit", 1}, {"windowMs", 5000}, {"hidden", true}}}}}},
                                      &error));
        m_sandbox.reset();
        const QUrl u(m_sandbox.baseUrl("segment-public").toString() + "/x");
        const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer sandbox-token"}};
        QVERIFY(!m_client.send("GET", u, {}, auth).hasHeader("X-RateLimit-Remaining"));
        const auto r = m_client.send("GET", u, {}, auth);
        QCOMPARE(r.status, 429);
        QVERIFY(!r.body.contains("msBeforeNext"));
    }

    void genericAuthWhenConfigured()
    {
        configureGeneric({{"auth", true}});
        QCOMPARE(m_client.send("GET", generic("/a")).status, 401);
        QCOMPARE(m_client.send("GET", generic("/a"), {}, {{"Authorization", "Bearer sandbox-token"}}).status, 200);
    }

    void badConfigIsRejectedWithAMessage_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown api") << QByteArray(R"({"apis":{"nope":{}}})") << "nope";
        QTest::newRow("negative limit") << QByteArray(R"({"apis":{"generic":{"limit":-1}}})") << "limit";
        QTest::newRow("bad window kind") << QByteArray(R"({"apis":{"generic":{"window":"round"}}})") << "window";
        QTest::newRow("probability over 1") << QByteArray(R"({"faults":{"error503":2}})") << "error503";
        QTest::newRow("unknown top key") << QByteArray(R"({"speed":1})") << "speed";
        QTest::newRow("bad outage mode") << QByteArray(R"({"faults":{"outage":{"mode":"melt"}}})") << "outage";
    }
    void badConfigIsRejectedWithAMessage()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const QUrl admin(m_sandbox.baseUrl("__sandbox").toString() + "/config");
        const auto r = m_client.send("POST", admin, json);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains(mentions), r.body.constData());
        // The running config is unchanged.
        QCOMPARE(m_sandbox.config().faults.error503, 0.0);
    }

    void cleanupTestCase() { m_sandbox.stop(); }
};

QTEST_GUILESS_MAIN(TestSandboxDialects)
#include "tst_sandbox_dialects.moc"
