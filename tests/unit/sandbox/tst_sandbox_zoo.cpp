// The server zoo through SandboxService in virtual time: the config keys of
// each mode, answers lost after acceptance, and the per-scope stats (client
// accepted/rejected, neighbour accepted/rejected, exact maxInWindow).
#include "core/sandbox/SandboxConfig.h"
#include "core/sandbox/SandboxService.h"
#include "core/sandbox/SandboxStats.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace headroom;
using namespace headroom::sandbox;
using namespace std::chrono_literals;

namespace {

const TimePoint kT0 = TimePoint(std::chrono::hours(1000));
const WallTime kWall0 = WallTime(std::chrono::seconds(1'800'000'000));

HttpRequest genericPost(int i)
{
    HttpRequest r;
    r.method = "POST";
    r.path = "/generic/things/" + QByteArray::number(i);
    r.body = "{\"n\":" + QByteArray::number(i) + "}";
    r.headers = {{"content-type", "application/json"}};
    return r;
}

SandboxConfig configFrom(const QByteArray &json)
{
    QString error;
    const SandboxConfig config = SandboxConfig::fromJson(QJsonDocument::fromJson(json).object(), &error);
    if (!error.isEmpty())
        qWarning() << error;
    return config;
}

} // namespace

class TestSandboxZoo : public QObject
{
    Q_OBJECT

private slots:
    void modesAreNamedInTheConfig_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");
        QTest::newRow("rolling") << QByteArray(R"({"window":"rolling"})") << true;
        QTest::newRow("fixed-clock") << QByteArray(R"({"window":"fixed-clock"})") << true;
        QTest::newRow("gcra") << QByteArray(R"({"window":"gcra"})") << true;
        QTest::newRow("old keys still work") << QByteArray(R"({"window":"fixed","resetFormat":"epoch","retryAfter":"http-date"})") << true;
        QTest::newRow("truncated date") << QByteArray(R"({"resetFormat":"http-date-truncated"})") << true;
        QTest::newRow("constant Retry-After") << QByteArray(R"({"retryAfter":"constant","retryAfterSeconds":1})") << true;
        QTest::newRow("without Limit and Consumed") << QByteArray(R"({"xRateLimitLimit":false,"xRateLimitConsumed":false})") << true;
        QTest::newRow("limit below documented") << QByteArray(R"({"limit":60,"advertisedLimit":100})") << true;
        QTest::newRow("schedule") << QByteArray(R"({"limitSchedule":[{"fromSeconds":10,"toSeconds":20,"limit":50}]})") << true;
        QTest::newRow("neighbour") << QByteArray(R"({"neighbourPerSecond":30})") << true;
        QTest::newRow("unknown kind") << QByteArray(R"({"window":"leaky"})") << false;
        QTest::newRow("schedule backwards") << QByteArray(R"({"limitSchedule":[{"fromSeconds":20,"toSeconds":10,"limit":50}]})") << false;
        QTest::newRow("schedule limit 0") << QByteArray(R"({"limitSchedule":[{"fromSeconds":0,"toSeconds":10,"limit":0}]})") << false;
        QTest::newRow("negative neighbour") << QByteArray(R"({"neighbourPerSecond":-1})") << false;
        QTest::newRow("Retry-After constant as text") << QByteArray(R"({"retryAfterSeconds":"1"})") << false;
    }
    void modesAreNamedInTheConfig()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        SandboxConfig config;
        QString error;
        const QJsonObject partial{{QStringLiteral("apis"),
                                   QJsonObject{{QStringLiteral("generic"), QJsonDocument::fromJson(json).object()}}}};
        QCOMPARE(config.merge(partial, &error), valid);
        QCOMPARE(error.isEmpty(), valid);
        if (valid) {
            const SandboxConfig back = SandboxConfig::fromJson(config.toJson(), &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QCOMPARE(back.toJson(), config.toJson());
        }
    }

    void lostAnswerIsCountedAndApplied()
    {
        SandboxConfig config = configFrom(R"({"faults":{"lostAnswer":1.0,"seed":7,"apis":["generic"]}})");
        QCOMPARE(config.faults.lostAnswer, 1.0);
        SandboxStats stats;
        SandboxService service(config, stats);
        const SandboxService::Outcome outcome = service.handle(genericPost(1), kT0, kWall0);
        QVERIFY(outcome.drop);
        const QJsonObject s = stats.snapshot(true);
        QCOMPARE(s.value("accepted").toInt(), 1);
        QCOMPARE(s.value("apis").toObject().value("generic").toObject().value("lostAnswers").toInt(), 1);
        // A refused request has no answer to lose: the 429 reaches the client.
        config.apis["generic"].limit = 1;
        service.setConfig(config);
        service.resetLimits();
        QVERIFY(service.handle(genericPost(2), kT0 + 1ms, kWall0).drop);
        const SandboxService::Outcome refused = service.handle(genericPost(3), kT0 + 2ms, kWall0);
        QVERIFY(!refused.drop);
        QCOMPARE(refused.response.status, 429);
    }

    // 60/s real while the client sends 100/s for 2 s: the scope's counts and
    // its exact peak tell what the server did.
    void statsCountPerScope()
    {
        SandboxStats stats;
        SandboxService service(configFrom(R"({"apis":{"generic":{"limit":60,"advertisedLimit":100,"window":"rolling","retryAfter":"none","hidden":true}}})"),
                               stats);
        int accepted = 0;
        for (int i = 0; i < 200; ++i) {
            const auto outcome = service.handle(genericPost(i), kT0 + std::chrono::milliseconds(i * 10), kWall0);
            accepted += outcome.response.status == 200 ? 1 : 0;
            if (outcome.response.status == 429)
                QVERIFY(outcome.response.headers.size() <= 2); // content-type and length only: a bare 429
        }
        const QJsonObject scope = stats.snapshot(false).value("scopes").toObject().value("generic/anonymous").toObject();
        QCOMPARE(scope.value("accepted").toInt(), accepted);
        QCOMPARE(scope.value("rejected").toInt(), 200 - accepted);
        QCOMPARE(scope.value("maxInWindow").toInt(), 60);
        QCOMPARE(scope.value("window").toString(), QStringLiteral("rolling"));
        // Hammering a rolling window at 100/s against 60/s: only the first 60 get in.
        QCOMPARE(accepted, 60);
    }

    void statsCountTheNeighbour()
    {
        SandboxStats stats;
        SandboxService service(configFrom(R"({"apis":{"generic":{"limit":100,"neighbourPerSecond":30}}})"), stats);
        // The client takes 70/s for 3 s: the neighbour's 30/s fit beside it.
        for (int i = 0; i < 210; ++i)
            service.handle(genericPost(i), kT0 + std::chrono::microseconds(i * 14286), kWall0);
        service.advanceNeighbours(kT0 + 3s, kWall0 + 3s);
        const QJsonObject scope = stats.snapshot(false).value("scopes").toObject().value("generic/anonymous").toObject();
        QCOMPARE(scope.value("neighbourAccepted").toInt() + scope.value("neighbourRejected").toInt(), 90);
        QCOMPARE(scope.value("accepted").toInt() + scope.value("rejected").toInt(), 210);
        QVERIFY(scope.value("maxInWindow").toInt() <= 100);
        QVERIFY(scope.value("clientMaxInWindow").toInt() <= scope.value("maxInWindow").toInt());
        QCOMPARE(scope.value("neighbourRejected").toInt(), 0);
        QCOMPARE(scope.value("rejected").toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSandboxZoo)
#include "tst_sandbox_zoo.moc"
