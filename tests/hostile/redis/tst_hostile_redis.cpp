// A shared-budget Redis that lies: replies that claim billions of elements or
// bytes, endless lines, answers that grant nothing. Each is refused or backed
// off from, the lane paces locally, and a notice says why; the bounds are
// counts (commands asked, connections dropped), not wall-clock figures.
#include "HostileRedisServer.h"

#include "budget/RedisConnection.h"
#include "budget/SharedBudgetClient.h"
#include "budget/SharedBudgetLimiter.h"
#include "clock/SteadyClock.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace headroom;
using namespace headroom::budget;
using namespace std::chrono_literals;

namespace {

QByteArray integers(std::initializer_list<qint64> values)
{
    QByteArray out = "*" + QByteArray::number(qsizetype(values.size())) + "\r\n";
    for (qint64 v : values)
        out += ":" + QByteArray::number(v) + "\r\n";
    return out;
}

// What a Redis answers to everything but the budget script.
QByteArray ordinaryAnswer(const QList<QByteArray> &args)
{
    if (args.value(0).toUpper() == "SCRIPT")
        return "$40\r\n" + QByteArray(40, 'a') + "\r\n";
    if (args.value(0).toUpper() == "ZREM")
        return ":1\r\n";
    return "+OK\r\n";
}

SharedBudgetConfig configFor(const QString &url)
{
    SharedBudgetConfig config;
    config.url = *RedisUrl::parse(url, nullptr);
    config.limit = 100;
    config.period = 1s;
    config.probeInterval = 100ms;
    return config;
}

} // namespace

class TestHostileRedis : public QObject
{
    Q_OBJECT

    SteadyClock m_clock;

private slots:
    void hugeRepliesAreRefusedBeforeHiredis_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QString>("reason");
        QTest::newRow("two billion elements") << QByteArray("*2000000000\r\n:1\r\n") << "array of 2000000000";
        QTest::newRow("two gigabyte string") << QByteArray("$2000000000\r\nxxxx") << "string of 2000000000";
        QTest::newRow("endless line") << (QByteArray("+") + QByteArray(100'000, 'x')) << "line longer";
        QTest::newRow("nested too deep") << QByteArray("*1\r\n").repeated(12) << "nested deeper";
        const QByteArray large = "$60000\r\n" + QByteArray(60'000, 'x') + "\r\n";
        QTest::newRow("many large strings") << QByteArray("*1000\r\n").append(large.repeated(5)) << "reply larger";
    }

    void hugeRepliesAreRefusedBeforeHiredis()
    {
        QFETCH(QByteArray, reply);
        QFETCH(QString, reason);
        QElapsedTimer answered;
        HostileRedisServer redis([&](const QList<QByteArray> &args) {
            if (args.value(0).toUpper() != "EVALSHA")
                return ordinaryAnswer(args);
            answered.start();
            return reply;
        });
        QVERIFY(redis.listen());
        SharedBudgetLimiter limiter(configFor(redis.url(QStringLiteral("hostile"))));
        auto client = std::make_unique<SharedBudgetClient>(&limiter, m_clock);
        QSignalSpy notices(client.get(), &SharedBudgetClient::notice);
        client->start();
        QVERIFY(notices.wait(10000));
        const QString text = notices.at(0).at(0).toString();
        // Refused on the header: not the 200 ms answer timeout, and without
        // hiredis allocating (and later walking) what the header claims.
        QVERIFY2(text.contains(reason), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("unavailable")), qPrintable(text));
        QVERIFY2(answered.elapsed() < 3000, qPrintable(QString::number(answered.elapsed())));
        QCOMPARE(limiter.mode(), SharedBudgetLimiter::Mode::Fallback);
        QTRY_VERIFY(redis.disconnections >= 1);
        client->stop();
    }

    void grantingNothingBacksOffAndPacesLocally()
    {
        // Answers every ask, grants no slot: before, the client asked again at
        // once, 224,158 times a minute.
        HostileRedisServer redis([](const QList<QByteArray> &args) {
            if (args.value(0).toUpper() == "EVALSHA")
                return integers({1'700'000'000'000'000, 100, 1'000'000, 1, 0});
            return ordinaryAnswer(args);
        });
        QVERIFY(redis.listen());
        SharedBudgetLimiter limiter(configFor(redis.url(QStringLiteral("stingy"))));
        auto client = std::make_unique<SharedBudgetClient>(&limiter, m_clock);
        QSignalSpy notices(client.get(), &SharedBudgetClient::notice);
        // A hungry lane: asks the limiter every millisecond.
        QTimer lane;
        lane.setInterval(1);
        connect(&lane, &QTimer::timeout, this, [&] { limiter.earliestSend(m_clock.now()); });
        lane.start();
        client->start();
        QVERIFY(notices.wait(10000));
        const QString text = notices.at(0).at(0).toString();
        QVERIFY2(text.contains(QStringLiteral("without granting")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("pacing locally")), qPrintable(text));
        QCOMPARE(limiter.mode(), SharedBudgetLimiter::Mode::Fallback);
        QVERIFY2(redis.scriptCalls <= 5, qPrintable(QString::number(redis.scriptCalls)));
        // Away, it probes once per probe interval, one ask each, and stays away
        // (no back-and-forth notices) while the answers grant nothing.
        // Three more asks take at least two probe intervals (100 ms each);
        // without the back-off they came at once.
        const int seen = redis.scriptCalls;
        QElapsedTimer away;
        away.start();
        QTRY_VERIFY_WITH_TIMEOUT(redis.scriptCalls >= seen + 3, 10000);
        QVERIFY2(away.elapsed() >= 190, qPrintable(QString::number(away.elapsed())));
        QCOMPARE(limiter.mode(), SharedBudgetLimiter::Mode::Fallback);
        QCOMPARE(notices.size(), 1);
        lane.stop();
        client->stop();
    }
};

QTEST_GUILESS_MAIN(TestHostileRedis)
#include "tst_hostile_redis.moc"
