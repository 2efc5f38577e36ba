// core/budget against a real redis-server of the test's own: the GCRA script's
// grants, process count and published limit; the client's switch to the local
// fallback when Redis stops or stalls, and back when it answers again.
#include "tests/support/RedisTestServer.h"

#include "core/budget/GcraScript.h"
#include "core/budget/RedisConnection.h"
#include "core/budget/SharedBudgetClient.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/clock/SteadyClock.h"
#include "core/rate/RateSignals.h"

#include <QSignalSpy>

#include <optional>

using namespace headroom;
using namespace headroom::budget;
using namespace std::chrono_literals;

class TestBudgetRedis : public QObject
{
    Q_OBJECT

    RedisTestServer m_redis;
    SteadyClock m_clock;
    int m_keys = 0;

    RedisUrl freshUrl()
    {
        QString error;
        auto url = RedisUrl::parse(m_redis.url(QStringLiteral("test-%1").arg(++m_keys)), &error);
        if (!url)
            qFatal("%s", qPrintable(error));
        return *url;
    }

    std::optional<RedisValue> call(RedisConnection &c, const QList<QByteArray> &args)
    {
        std::optional<RedisValue> out;
        c.command(args, [&out](const RedisValue &v) { out = v; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 5000); }();
        return out;
    }

    std::optional<Reservation> reserve(RedisConnection &c, const RedisUrl &url, int wanted, const QByteArray &process,
                                       qint64 publish = 0)
    {
        const auto reply = call(c, {"EVAL", GcraScript::source(), "2", url.budgetKey(), url.processesKey(), "100",
                                    "1000000", "20000", QByteArray::number(wanted), process, "5000000",
                                    QByteArray::number(publish), "1000000"});
        if (!reply)
            return std::nullopt;
        QByteArray error;
        auto r = GcraScript::parse(*reply, &error);
        if (!r)
            qWarning() << error;
        return r;
    }

private slots:
    void initTestCase()
    {
        if (RedisTestServer::executable().isEmpty())
            QSKIP("redis-server is not installed (Debian: apt-get install redis-server; scripts/test.sh installs it)");
        QVERIFY(m_redis.start());
    }

    void scriptGrantsSpacedSlotsOnTheServersClock()
    {
        const RedisUrl url = freshUrl();
        RedisConnection c;
        c.open(url);
        const auto first = reserve(c, url, 3, "p1");
        QVERIFY(first);
        QCOMPARE(first->limit, 100);
        QCOMPARE(first->periodUs, 1'000'000);
        QCOMPARE(first->processes, 1);
        QCOMPARE(first->grantedTotal, 3);
        // (1 s + 20 ms) / 100 apart, the first now.
        QCOMPARE(first->offsetsUs, (QList<qint64>{0, 10200, 20400}));
        const auto second = reserve(c, url, 2, "p2");
        QVERIFY(second);
        QCOMPARE(second->processes, 2);
        QCOMPARE(second->grantedTotal, 5);
        // Continues after the first process's slots, on the server's clock.
        const qint64 elapsed = second->serverNowUs - first->serverNowUs;
        QCOMPARE(second->offsetsUs.size(), 2);
        QVERIFY(qAbs(second->offsetsUs.at(0) - std::max<qint64>(0, 30600 - elapsed)) <= 1);
        // A limit learned from headers, published: every process now spaces by it.
        const auto third = reserve(c, url, 2, "p1", 50);
        QVERIFY(third);
        QCOMPARE(third->limit, 50);
        QCOMPARE(third->offsetsUs.at(1) - third->offsetsUs.at(0), 20400);
        const auto fourth = reserve(c, url, 1, "p2");
        QCOMPARE(fourth->limit, 50);
    }

    void clientFallsBackWhenRedisStopsAndReturns()
    {
        SharedBudgetConfig config;
        config.url = freshUrl();
        config.limit = 100;
        config.period = 1s;
        config.probeInterval = 200ms;
        SharedBudgetLimiter limiter(config);
        SharedBudgetClient client(&limiter, m_clock);
        QSignalSpy notices(&client, &SharedBudgetClient::notice);
        QSignalSpy wakes(&client, &SharedBudgetClient::wake);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(limiter.mode(), SharedBudgetLimiter::Mode::Shared, 5000);
        QVERIFY(wakes.count() >= 1);
        // Demand (being asked with too few slots in hand) brings another answer.
        const qint64 answered = client.stats().reservations;
        limiter.onSend(m_clock.now());
        limiter.onSend(m_clock.now());
        limiter.earliestSend(m_clock.now());
        QTRY_VERIFY_WITH_TIMEOUT(client.stats().reservations > answered, 5000);

        m_redis.stop();
        QTRY_COMPARE_WITH_TIMEOUT(limiter.mode(), SharedBudgetLimiter::Mode::Fallback, 5000);
        QVERIFY(notices.last().at(0).toString().contains(QStringLiteral("unavailable")));
        QCOMPARE(limiter.fallbackLimit(), 100); // only this process was seen
        QVERIFY(limiter.earliestSend(m_clock.now()) <= m_clock.now() + 1s);

        QVERIFY(m_redis.start());
        QTRY_COMPARE_WITH_TIMEOUT(limiter.mode(), SharedBudgetLimiter::Mode::Shared, 5000);
        QVERIFY(notices.last().at(0).toString().contains(QStringLiteral("back")));
        QVERIFY(limiter.recovering(m_clock.now()));
        client.stop();
        QVERIFY(client.stats().reservations >= 2);
        QVERIFY(client.stats().failures >= 1);
    }

    void aLimitLearnedFromHeadersPacesEveryProcess()
    {
        SharedBudgetConfig config;
        config.url = freshUrl();
        config.limit = 100;
        SharedBudgetLimiter first(config);
        SharedBudgetClient firstClient(&first, m_clock);
        firstClient.start();
        QTRY_COMPARE_WITH_TIMEOUT(first.mode(), SharedBudgetLimiter::Mode::Shared, 5000);
        rate::RateSignals said;
        said.limit = 40;
        rate::ResponseObservation response;
        response.status = 200;
        response.rateSignals = &said;
        first.onResponse(m_clock.now(), response);
        first.onSend(m_clock.now());
        first.onSend(m_clock.now());
        first.earliestSend(m_clock.now()); // the next reservation carries it
        QTRY_COMPARE_WITH_TIMEOUT(first.limit(), 40, 5000);

        SharedBudgetLimiter second(config); // configured at 100, like the first
        SharedBudgetClient secondClient(&second, m_clock);
        secondClient.start();
        QTRY_COMPARE_WITH_TIMEOUT(second.mode(), SharedBudgetLimiter::Mode::Shared, 5000);
        QCOMPARE(second.limit(), 40);
        firstClient.stop();
        secondClient.stop();
    }

    void aStalledRedisCountsAsAway()
    {
        SharedBudgetConfig config;
        config.url = freshUrl();
        config.limit = 100;
        config.probeInterval = 200ms;
        SharedBudgetLimiter limiter(config);
        SharedBudgetClient client(&limiter, m_clock);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(limiter.mode(), SharedBudgetLimiter::Mode::Shared, 5000);
        // Another client stalls the server for 1 s with a busy script (DEBUG
        // SLEEP is off by default in Redis 7); our next reservation waits.
        RedisConnection other;
        other.open(config.url);
        std::optional<RedisValue> slept;
        other.command({"EVAL",
                       "local t = redis.call('TIME') local stop = t[1] * 1000000 + t[2] + 1000000 "
                       "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= stop return 1",
                       "0"},
                      [&](const RedisValue &v) { slept = v; });
        for (int i = 0; i < 4; ++i)
            limiter.onSend(m_clock.now());
        limiter.earliestSend(m_clock.now()); // demand: a reservation goes out
        QTRY_COMPARE_WITH_TIMEOUT(limiter.mode(), SharedBudgetLimiter::Mode::Fallback, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(slept.has_value(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(limiter.mode(), SharedBudgetLimiter::Mode::Shared, 5000);
        client.stop();
    }
};

QTEST_GUILESS_MAIN(TestBudgetRedis)
#include "tst_budget_redis.moc"
