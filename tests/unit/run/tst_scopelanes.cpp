// Lanes as rate scopes, in virtual time: a narrower scope's lane spends its
// wider scope's budget too, a 429 pauses and teaches only the lane that got
// it, a scope learns its limit from a 429 body that states it, and several
// windows hold at once.
#include "core/clock/FakeClock.h"
#include "core/rate/RateSignalParser.h"
#include "core/run/Lane.h"

#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

run::LaneConfig config(const QString &name, std::optional<int> limit, Duration window = 1s)
{
    run::LaneConfig c;
    c.name = name;
    c.limit = limit;
    c.window = window;
    c.concurrency = 1000;
    c.followHeaders = false; // the header pacer probes with one request first; not under test here
    c.randomSeed = 1;
    return c;
}

run::Job job(qint64 row)
{
    run::Job j;
    j.id = quint64(row);
    j.call.rows = {row};
    return j;
}

rate::RetryPolicy::Decision respond(run::Lane &lane, run::Job &j, const FakeClock &clock, int status,
                                    const QByteArray &body = {}, const QByteArray &retryAfter = {})
{
    rate::RateSignalParser::HeaderList headers;
    if (!retryAfter.isEmpty())
        headers.append({QByteArray("Retry-After"), retryAfter});
    const rate::RateSignals parsed = rate::RateSignalParser::parse(status, headers, body, clock);
    rate::ResponseObservation o;
    o.status = status;
    o.latency = 10ms;
    o.sentAt = j.lastSentAt;
    o.wireAt = j.lastSentAt;
    o.rateSignals = &parsed;
    return lane.onResult(clock.now(), j, o);
}

} // namespace

class TestScopeLanes : public QObject
{
    Q_OBJECT

private slots:
    void aChildWaitsForItsParentsBudget()
    {
        FakeClock clock;
        run::Lane token(config(QStringLiteral("token"), 2), clock.now());
        run::Lane labels(config(QStringLiteral("labels"), 5), clock.now());
        labels.addParent(&token, clock.now());
        for (int i = 1; i <= 2; ++i) {
            QCOMPARE(labels.nextSendAt(clock.now()), clock.now());
            run::Job j = job(i);
            labels.onSend(clock.now(), j);
        }
        // The token's two are spent, by the child: both wait for its window.
        QCOMPARE(labels.nextSendAt(clock.now()), clock.now() + 1s + 5ms);
        QCOMPARE(token.nextSendAt(clock.now()), clock.now() + 1s + 5ms);
        // Counted once, by the lane that sent.
        QCOMPARE(labels.counters().requestsSent, 2);
        QCOMPARE(token.counters().requestsSent, 0);
    }

    void a429PausesOnlyTheLaneThatGotIt()
    {
        FakeClock clock;
        run::Lane token(config(QStringLiteral("token"), 100), clock.now());
        run::Lane syncs(config(QStringLiteral("syncs"), 2, 60s), clock.now());
        syncs.addParent(&token, clock.now());
        run::Job j = job(1);
        syncs.onSend(clock.now(), j);
        clock.advance(10ms);
        const rate::RetryPolicy::Decision d = respond(syncs, j, clock, 429, {}, "30");
        QCOMPARE(int(d.kind), int(rate::RetryPolicy::Decision::Kind::PauseLane));
        QVERIFY(syncs.nextSendAt(clock.now()) >= clock.now() + 30s);
        // The token-wide lane neither pauses nor learns a lower budget.
        QCOMPARE(token.nextSendAt(clock.now()), clock.now());
        QVERIFY(!token.limiters().isPaused(clock.now()));
        QCOMPARE(token.config().limit, std::optional<int>(100));
    }

    void aParentsPauseHoldsItsChildren()
    {
        FakeClock clock;
        run::Lane token(config(QStringLiteral("token"), 100), clock.now());
        run::Lane labels(config(QStringLiteral("labels"), 60, 60s), clock.now());
        labels.addParent(&token, clock.now());
        token.limiters().pauseUntil(clock.now() + 5s, QStringLiteral("test"));
        QCOMPARE(labels.nextSendAt(clock.now()), clock.now() + 5s);
    }

    void aParentStaysThroughALimitChange()
    {
        FakeClock clock;
        run::Lane token(config(QStringLiteral("token"), 1), clock.now());
        run::Lane labels(config(QStringLiteral("labels"), 60), clock.now());
        labels.addParent(&token, clock.now());
        labels.setLimit(30, 1s, clock.now()); // rebuilds the stack
        run::Job j = job(1);
        labels.onSend(clock.now(), j);
        QCOMPARE(labels.nextSendAt(clock.now()), clock.now() + 1s + 5ms);
    }

    void aStatedLimitIsLearned_data()
    {
        QTest::addColumn<int>("configured"); // 0: none
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("limit"); // 0: none
        QTest::addColumn<qint64>("windowMs");

        QTest::newRow("unknown learns it") << 0 << QByteArray("rate limited to 10 requests per 1s") << 10 << 1000ll;
        QTest::newRow("higher learns the lower") << 100 << QByteArray("rate limited to 10 requests per 1s") << 10
                                                 << 1000ll;
        QTest::newRow("per campaign") << 10 << QByteArray("rate limited to 1 request per 10s") << 1 << 10000ll;
        QTest::newRow("lower keeps its own") << 5 << QByteArray("rate limited to 10 requests per 1s") << 5 << 1000ll;
        QTest::newRow("same rate keeps its own") << 10 << QByteArray("rate limited to 100 requests per 10s") << 10
                                                 << 1000ll;
        QTest::newRow("no statement") << 100 << QByteArray("rate limit exceeded") << 100 << 1000ll;
    }

    void aStatedLimitIsLearned()
    {
        QFETCH(int, configured);
        QFETCH(QByteArray, body);
        QFETCH(int, limit);
        QFETCH(qint64, windowMs);
        FakeClock clock;
        run::Lane lane(config(QStringLiteral("app"), configured > 0 ? std::optional<int>(configured) : std::nullopt),
                       clock.now());
        run::Job j = job(1);
        lane.onSend(clock.now(), j);
        clock.advance(10ms);
        respond(lane, j, clock, 429, body, "1");
        QCOMPARE(lane.config().limit.value_or(0), limit);
        QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(lane.config().window).count(), windowMs);
    }

    void aLearnedLimitPacesTheLane()
    {
        FakeClock clock;
        run::Lane lane(config(QStringLiteral("app"), 100), clock.now());
        run::Job j = job(1);
        lane.onSend(clock.now(), j);
        clock.advance(10ms);
        respond(lane, j, clock, 429, "rate limited to 2 requests per 1s", "1");
        clock.advance(1s);
        for (int i = 2; i <= 3; ++i) {
            run::Job k = lane.takeDueRetry(clock.now()).value_or(job(i));
            QCOMPARE(lane.nextSendAt(clock.now()), clock.now());
            lane.onSend(clock.now(), k);
        }
        QCOMPARE(lane.nextSendAt(clock.now()), clock.now() + 1s + 5ms);
    }

    void severalWindowsHoldAtOnce()
    {
        FakeClock clock;
        run::LaneConfig c = config(QStringLiteral("daily"), 5, 1s);
        c.extraWindows = {{8, 10s}};
        run::Lane lane(c, clock.now());
        const TimePoint t0 = clock.now();
        int row = 0;
        for (int i = 0; i < 5; ++i) {
            run::Job j = job(++row);
            lane.onSend(clock.now(), j);
        }
        QCOMPARE(lane.nextSendAt(clock.now()), t0 + 1s + 5ms); // the per-second window
        clock.advance(1100ms);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(lane.nextSendAt(clock.now()), clock.now());
            run::Job j = job(++row);
            lane.onSend(clock.now(), j);
        }
        // Eight in ten seconds: the second window holds until the first send leaves it.
        QCOMPARE(lane.nextSendAt(clock.now()), t0 + 10s + 5ms);
    }
};

QTEST_APPLESS_MAIN(TestScopeLanes)
#include "tst_scopelanes.moc"
