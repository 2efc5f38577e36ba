// Lane: the engine's decisions for one rate-limit scope, in virtual time.
#include "core/clock/FakeClock.h"
#include "core/rate/RateSignalParser.h"
#include "core/rate/GrantedBudgetLimiter.h"
#include "core/run/Lane.h"

#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

run::LaneConfig config(std::optional<int> limit, Duration window = 1s)
{
    run::LaneConfig c;
    c.name = QStringLiteral("test");
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

} // namespace

class TestLane : public QObject
{
    Q_OBJECT

    rate::RetryPolicy::Decision respond(run::Lane &lane, run::Job &j, FakeClock &clock, int status,
                                        rate::RateSignalParser::HeaderList headers = {})
    {
        const rate::RateSignals parsed = rate::RateSignalParser::parse(status, headers, {}, clock);
        rate::ResponseObservation o;
        o.status = status;
        o.latency = 10ms;
        o.sentAt = j.lastSentAt; // as the Dispatcher tells it
        o.wireAt = j.lastSentAt;
        o.rateSignals = &parsed;
        return lane.onResult(clock.now(), j, o);
    }

private slots:
    // An attempt that may have been applied is retried (same job, same key)
    // unless a copy would not be deduplicated: then it is a dead letter that
    // says so, and nothing waits in the retry queue.
    void ambiguousAttemptRetriedOnlyWhereResendIsSafe_data()
    {
        QTest::addColumn<bool>("mayResend");
        QTest::addColumn<bool>("timedOut");
        QTest::addColumn<int>("status");
        QTest::newRow("keyed write, connection lost: retried") << true << false << 0;
        QTest::newRow("keyed write, 503: retried") << true << false << 503;
        QTest::newRow("transactional send, connection lost: dead letter") << false << false << 0;
        QTest::newRow("transactional send, timeout: dead letter") << false << true << 0;
        QTest::newRow("transactional send, 500: dead letter") << false << false << 500;
    }
    void ambiguousAttemptRetriedOnlyWhereResendIsSafe()
    {
        QFETCH(bool, mayResend);
        QFETCH(bool, timedOut);
        QFETCH(int, status);
        FakeClock clock;
        run::Lane lane(config(10), clock.now());
        run::Job j = job(1);
        lane.onSend(clock.now(), j);
        clock.advance(10ms);
        rate::ResponseObservation o;
        o.status = status;
        o.timedOut = timedOut;
        o.transportError = status == 0 && !timedOut;
        o.latency = 10ms;
        o.sentAt = j.lastSentAt;
        o.wireAt = j.lastSentAt;
        const auto d = lane.onResult(clock.now(), j, o, mayResend);
        if (mayResend) {
            QCOMPARE(d.kind, rate::RetryPolicy::Decision::Kind::RetryAt);
            QCOMPARE(lane.retryCount(), 1);
        } else {
            QCOMPARE(d.kind, rate::RetryPolicy::Decision::Kind::DeadLetter);
            QVERIFY2(d.reason.contains(QStringLiteral("may have been applied")), qPrintable(d.reason));
            QCOMPARE(lane.retryCount(), 0);
        }
    }

    void configuredLimitHoldsTheWindow()
    {
        FakeClock clock;
        run::Lane lane(config(3), clock.now());
        for (int i = 1; i <= 3; ++i) {
            QCOMPARE(lane.nextSendAt(clock.now()), clock.now());
            run::Job j = job(i);
            lane.onSend(clock.now(), j);
        }
        QCOMPARE(lane.nextSendAt(clock.now()), clock.now() + 1s + 5ms);
        QCOMPARE(lane.counters().requestsSent, 3);
        QCOMPARE(lane.inFlight(), 3);
    }

    void sendWaitsForItsSlotFromTheWireTime()
    {
        // The slot opens at wire + window + margin, and the next send is handed
        // over no earlier, however long QNAM took to write the last ones.
        FakeClock clock;
        run::Lane lane(config(1), clock.now());
        const TimePoint t0 = clock.now();
        run::Job j = job(1);
        lane.onSend(t0, j);
        lane.onWire(t0, t0 + 10ms);
        QCOMPARE(lane.nextSendAt(t0), t0 + 10ms + 1s + 5ms);
        clock.advance(1s + 15ms);
        run::Job k = job(2);
        lane.onSend(clock.now(), k);
        lane.onWire(clock.now(), clock.now() + 4ms);
        QCOMPARE(lane.nextSendAt(clock.now()), clock.now() + 4ms + 1s + 5ms);
    }

    void throttledDespiteTheWindowGrowsTheMargin()
    {
        FakeClock clock;
        run::Lane lane(config(10, 200ms), clock.now());
        QCOMPARE(lane.slidingMargin(), Duration(5ms));
        // A 429 with the configured window full: arrival jitter, not a lower limit.
        auto fullWindowThenThrottled = [&](int firstRow) {
            QList<run::Job> sent;
            for (int row = firstRow; row < firstRow + 10; ++row) {
                sent << job(row);
                lane.onSend(clock.now(), sent.last());
            }
            for (int i = 0; i < 9; ++i)
                respond(lane, sent[i], clock, 200);
            respond(lane, sent[9], clock, 429);
            clock.advance(250ms);
        };
        fullWindowThenThrottled(1);
        QCOMPARE(lane.slidingMargin(), Duration(10ms));
        QVERIFY(!lane.grantedBudget()->estimate()); // the server grants what it was told
        fullWindowThenThrottled(11);
        QCOMPARE(lane.slidingMargin(), Duration(20ms)); // capped at 10 % of 200 ms
        fullWindowThenThrottled(21);
        QCOMPARE(lane.slidingMargin(), Duration(20ms));
        // Quiet for more than ten windows: a tenth comes back per success.
        clock.advance(3s);
        run::Job m = job(4);
        lane.onSend(clock.now(), m);
        respond(lane, m, clock, 200);
        QCOMPARE(lane.slidingMargin(), Duration(18ms));
    }

    // A server that grants 6 of the 10 configured: the first 429 is a
    // measurement (6 accepted before it), the lane paces at it, and a second
    // rejection right after holds the lane one window.
    void aLowerLimitIsLearnedFromTheFirst429()
    {
        FakeClock clock;
        run::Lane lane(config(10), clock.now());
        QList<run::Job> sent;
        for (int row = 1; row <= 8; ++row) {
            sent << job(row);
            lane.onSend(clock.now(), sent.last());
            clock.advance(1ms);
        }
        clock.advance(10ms);
        for (int i = 0; i < 6; ++i)
            respond(lane, sent[i], clock, 200);
        respond(lane, sent[6], clock, 429);
        QCOMPARE(lane.grantedBudget()->estimate().value_or(-1), 6);
        QCOMPARE(lane.grantedBudget()->lastMeasurement().value_or(-1), 6);
        // Eight attempts (the refused one counts at servers that count refusals)
        // are in the window: nothing more until enough of them leave it.
        QVERIFY(lane.nextSendAt(clock.now()) > clock.now() + 900ms);
        QVERIFY(lane.nextSendAt(clock.now()) <= clock.now() + 1s + 5ms);
    }

    // Throttling never spends a row's attempts: a job refused far more often
    // than max attempts, with or without Retry-After, is still retried.
    void throttlesSpendNoAttempts()
    {
        FakeClock clock;
        run::LaneConfig c = config(1000);
        c.retry.maxAttempts = 2;
        run::Lane lane(c, clock.now());
        run::Job j = job(1);
        for (int i = 0; i < 12; ++i) {
            lane.onSend(clock.now(), j);
            const auto d = i % 2 ? respond(lane, j, clock, 429, {{"Retry-After", "1"}}) : respond(lane, j, clock, 429);
            QVERIFY(d.kind == rate::RetryPolicy::Decision::Kind::RetryAt
                    || d.kind == rate::RetryPolicy::Decision::Kind::PauseLane);
            clock.advance(std::max(Duration(1ms), d.at - clock.now()));
            j = *lane.takeDueRetry(clock.now());
        }
        QCOMPARE(j.throttled, 12);
        // An error then spends the first of its two attempts, not the 13th.
        lane.onSend(clock.now(), j);
        QCOMPARE(respond(lane, j, clock, 503).kind, rate::RetryPolicy::Decision::Kind::RetryAt);
    }

    // Throttled again and again without a success, the lane waits longer each
    // time whatever Retry-After says (0 here): nothing for the first two, then
    // 250 ms doubling, capped at 30 s.
    void consecutiveThrottlesGrowTheLanesWait()
    {
        FakeClock clock;
        run::Lane lane(config(1000), clock.now());
        QList<Duration> waits;
        run::Job j = job(1);
        for (int i = 0; i < 12; ++i) {
            lane.onSend(clock.now(), j);
            const auto d = respond(lane, j, clock, 429, {{"Retry-After", "0"}});
            waits << d.at - clock.now();
            clock.advance(std::max(Duration(1ms), d.at - clock.now()));
            j = *lane.takeDueRetry(clock.now());
        }
        QCOMPARE(waits[0], Duration::zero());
        QCOMPARE(waits[1], Duration::zero());
        QCOMPARE(waits[2], Duration(250ms));
        QCOMPARE(waits[3], Duration(500ms));
        QCOMPARE(waits[9], Duration(30s)); // 250 ms x 2^7 = 32 s, capped
        QCOMPARE(waits[11], Duration(30s));
        // One success ends the streak.
        lane.onSend(clock.now(), j);
        respond(lane, j, clock, 200);
        run::Job k = job(2);
        lane.onSend(clock.now(), k);
        QCOMPARE(respond(lane, k, clock, 429, {{"Retry-After", "0"}}).at, clock.now());
    }

    // A probe above the granted budget is refused with Retry-After: the pause
    // is tested with one request at the learned pace, and once it is
    // accepted the lane goes on (a sliding window's few ms rounded up to a
    // whole second would otherwise cost a second per probe).
    void aRefusedProbeWaitsAloneDespiteRetryAfter()
    {
        FakeClock clock;
        run::Lane lane(config(100), clock.now());
        qint64 row = 0;
        auto sendNext = [&] {
            clock.advanceTo(std::max(clock.now(), lane.nextSendAt(clock.now())));
            run::Job j = job(++row);
            lane.onSend(clock.now(), j);
            return j;
        };
        // Learn 20 per window from a bare 429.
        QList<run::Job> first;
        for (int i = 0; i < 21; ++i)
            first << sendNext();
        for (int i = 0; i < 20; ++i)
            respond(lane, first[i], clock, 200);
        respond(lane, first[20], clock, 429);
        QCOMPARE(lane.grantedBudget()->estimate().value_or(-1), 20);
        // Paced at it, answered at once, until a probe goes out.
        std::optional<run::Job> probe;
        for (int i = 0; i < 400 && !probe; ++i) {
            run::Job j = sendNext();
            if (lane.grantedBudget()->probeOut())
                probe = j;
            else
                respond(lane, j, clock, 200);
        }
        QVERIFY(probe);
        const auto d = respond(lane, *probe, clock, 429, {{"Retry-After", "1"}});
        QCOMPARE(d.kind, rate::RetryPolicy::Decision::Kind::PauseLane);
        QCOMPARE(lane.grantedBudget()->estimate().value_or(-1), 20);
        const TimePoint testAt = lane.nextSendAt(clock.now());
        QVERIFY(testAt < clock.now() + 500ms);
        clock.advanceTo(testAt);
        run::Job test = sendNext();
        respond(lane, test, clock, 200);
        QVERIFY(!lane.limiters().isPaused(clock.now()));
    }

    // A Retry-After of one window on a refusal the lane learned its budget
    // from is tested with one request one pacing interval later: accepted,
    // the pause ends (the server rounded a few ms up to a second); refused,
    // it stands, and no second test goes (a penalty box costs one 429).
    void aShortRetryAfterIsTestedWithOneRequest_data()
    {
        QTest::addColumn<int>("testStatus");
        QTest::addColumn<bool>("pauseEnds");
        QTest::newRow("accepted: rounding") << 200 << true;
        QTest::newRow("refused: a penalty box") << 429 << false;
    }
    void aShortRetryAfterIsTestedWithOneRequest()
    {
        QFETCH(int, testStatus);
        QFETCH(bool, pauseEnds);
        FakeClock clock;
        run::Lane lane(config(100), clock.now());
        QList<run::Job> sent;
        for (int row = 1; row <= 21; ++row) {
            sent << job(row);
            lane.onSend(clock.now(), sent.last());
            clock.advance(40ms);
        }
        for (int i = 0; i < 20; ++i)
            respond(lane, sent[i], clock, 200);
        const auto d = respond(lane, sent[20], clock, 429, {{"Retry-After", "1"}});
        QCOMPARE(d.kind, rate::RetryPolicy::Decision::Kind::PauseLane);
        QCOMPARE(lane.grantedBudget()->estimate().value_or(-1), 20);
        QVERIFY(lane.limiters().isPaused(clock.now()));
        // One request may go well before the pause ends, once the lane's own
        // window has room at the learned pace.
        const TimePoint testAt = lane.nextSendAt(clock.now());
        QVERIFY(testAt < clock.now() + 1s);
        clock.advanceTo(testAt);
        run::Job test = job(100);
        lane.onSend(clock.now(), test);
        QVERIFY(lane.nextSendAt(clock.now()) >= lane.limiters().pausedUntil()); // only one test
        clock.advance(10ms);
        respond(lane, test, clock, testStatus, testStatus == 429 ? rate::RateSignalParser::HeaderList{{"Retry-After", "1"}} : rate::RateSignalParser::HeaderList{});
        QCOMPARE(!lane.limiters().isPaused(clock.now()), pauseEnds);
        if (!pauseEnds)
            QVERIFY(lane.nextSendAt(clock.now()) >= lane.limiters().pausedUntil());
    }

    void retryAfterPausesTheWholeLane()
    {
        FakeClock clock;
        run::Lane lane(config(100), clock.now());
        run::Job j = job(1);
        lane.onSend(clock.now(), j);
        const auto d = respond(lane, j, clock, 429, {{"Retry-After", "2"}});
        QCOMPARE(d.kind, rate::RetryPolicy::Decision::Kind::PauseLane);
        QVERIFY(lane.nextSendAt(clock.now()) >= clock.now() + 2s - 5ms);
        QVERIFY(lane.limiters().isPaused(clock.now()));
        QCOMPARE(lane.retryCount(), 1);
        QVERIFY(!lane.takeDueRetry(clock.now()));
        clock.advance(2s);
        const auto retry = lane.takeDueRetry(clock.now());
        QVERIFY(retry);
        QCOMPARE(retry->call.rows, QList<qint64>{1});
        QCOMPARE(lane.counters().responses429, 1);
        QCOMPARE(lane.counters().retries, 1);
    }

    void permanentErrorIsADeadLetter()
    {
        FakeClock clock;
        run::Lane lane(config(100), clock.now());
        run::Job j = job(1);
        lane.onSend(clock.now(), j);
        const auto d = respond(lane, j, clock, 400);
        QCOMPARE(d.kind, rate::RetryPolicy::Decision::Kind::DeadLetter);
        QCOMPARE(lane.retryCount(), 0);
        QCOMPARE(lane.counters().otherErrors, 1);
    }

    void openBreakerHoldsTheLane()
    {
        FakeClock clock;
        run::LaneConfig c = config(1000);
        c.breaker.failureThreshold = 3;
        c.breaker.openFor = 5s;
        run::Lane lane(c, clock.now());
        for (int i = 1; i <= 3; ++i) {
            run::Job j = job(i);
            lane.onSend(clock.now(), j);
            respond(lane, j, clock, 503);
        }
        QCOMPARE(lane.breakerState(clock.now()), rate::CircuitBreaker::State::Open);
        QVERIFY(lane.nextSendAt(clock.now()) >= clock.now() + 5s - 5ms);
        const auto snapshot = lane.sample(clock.now(), clock.now(), 0, false);
        QCOMPARE(snapshot.breakerState, QStringLiteral("open"));
        QVERIFY(snapshot.paused || !snapshot.pauseReason.isEmpty());
    }

    void liveLimitChangeKeepsTheLanePaused()
    {
        FakeClock clock;
        run::Lane lane(config(100), clock.now());
        run::Job j = job(1);
        lane.onSend(clock.now(), j);
        respond(lane, j, clock, 429, {{"Retry-After", "3"}});
        lane.setLimit(50, 1s, clock.now());
        QVERIFY(lane.limiters().isPaused(clock.now()));
        QCOMPARE(lane.config().limit, std::optional<int>(50));
    }

    // The headroom chart's line for servers that report no Remaining.
    void headroomIsEstimatedWithoutServerReports_data()
    {
        QTest::addColumn<int>("limit"); // 0: none
        QTest::addColumn<bool>("tokenBucket");
        QTest::addColumn<int>("sends");       // at t = 0, each on the wire 20 ms later
        QTest::addColumn<int>("atMs");        // sampled then
        QTest::addColumn<bool>("serverSaid"); // the answers carry X-RateLimit-Remaining: 42
        QTest::addColumn<qint64>("estimated");
        QTest::addColumn<qint64>("remaining");

        QTest::newRow("window, inside") << 10 << false << 4 << 500 << false << qint64(6) << qint64(-1);
        // Counted from the wire time: 1 s after the sends, 20 ms of them are left.
        QTest::newRow("window, at its end") << 10 << false << 4 << 1010 << false << qint64(6) << qint64(-1);
        QTest::newRow("window, passed") << 10 << false << 4 << 1030 << false << qint64(10) << qint64(-1);
        QTest::newRow("window, all spent") << 10 << false << 10 << 100 << false << qint64(0) << qint64(-1);
        // 10 per s with a burst of 4: five at once, one back every 100 ms.
        QTest::newRow("token bucket") << 10 << true << 2 << 20 << false << qint64(3) << qint64(-1);
        QTest::newRow("token bucket, refilled") << 10 << true << 2 << 200 << false << qint64(5) << qint64(-1);
        QTest::newRow("no limit to count against") << 0 << false << 3 << 100 << false << qint64(-1) << qint64(-1);
        QTest::newRow("the server says") << 10 << false << 4 << 500 << true << qint64(-1) << qint64(42);
    }
    void headroomIsEstimatedWithoutServerReports()
    {
        QFETCH(int, limit);
        QFETCH(bool, tokenBucket);
        QFETCH(int, sends);
        QFETCH(int, atMs);
        QFETCH(bool, serverSaid);
        QFETCH(qint64, estimated);
        QFETCH(qint64, remaining);
        FakeClock clock;
        const TimePoint start = clock.now();
        run::LaneConfig c = config(limit > 0 ? std::optional<int>(limit) : std::nullopt);
        c.tokenBucket = tokenBucket;
        c.burst = 4;
        run::Lane lane(c, start);
        QList<run::Job> jobs;
        for (int i = 0; i < sends; ++i) {
            jobs << job(i);
            lane.onSend(start, jobs.last());
            lane.onWire(start, start + 20ms);
        }
        clock.advance(20ms);
        for (run::Job &j : jobs) {
            if (serverSaid)
                respond(lane, j, clock, 200, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "42"}});
            else
                respond(lane, j, clock, 200);
        }
        clock.advanceTo(start + std::chrono::milliseconds(atMs));
        const metrics::LaneSnapshot s = lane.sample(clock.now(), start, 0, false);
        QCOMPARE(s.estimatedRemaining, estimated);
        QCOMPARE(s.remaining, remaining);
    }

    // A resumed lane's estimate counts the sends the server still counts.
    void restoredSendsCountInTheEstimate()
    {
        FakeClock clock;
        const TimePoint start = clock.now();
        QJsonObject state;
        {
            run::Lane before(config(10), start);
            for (int i = 0; i < 4; ++i) {
                run::Job j = job(i);
                before.onSend(start, j);
            }
            clock.advance(300ms);
            state = before.saveState(clock.now(), clock.wallNow());
        }
        run::Lane after(config(10), clock.now());
        after.restoreState(state, clock.now(), clock.wallNow());
        QCOMPARE(after.sample(clock.now(), start, 0, false).estimatedRemaining, qint64(6));
        clock.advance(800ms); // past the window of those sends
        QCOMPARE(after.sample(clock.now(), start, 0, false).estimatedRemaining, qint64(10));
    }

    // Two bursts the limit allows, one window apart, sampled at 10 Hz: no
    // point shows more than went out in a window, and 429s count at their
    // requests' wire times, so never more of them than sends.
    void chartRatesCountExactWindows()
    {
        FakeClock clock;
        const TimePoint start = clock.now();
        run::Lane lane(config(100), start);
        qint64 maxSent = 0;
        for (int ms = 0; ms <= 3000; ms += 10) {
            const TimePoint now = start + std::chrono::milliseconds(ms);
            clock.advanceTo(now);
            // One window and the margin apart, as the sliding window allows.
            if (ms == 950 || ms == 1960) {
                for (int i = 0; i < 100; ++i) {
                    run::Job j = job(ms + i);
                    lane.onSend(now, j);
                    lane.onWire(now, now + 1ms);
                    j.lastWireAt = now + 1ms;
                    if (i % 10 == 0) {
                        respond(lane, j, clock, 429);
                    } else {
                        respond(lane, j, clock, 200);
                        lane.onRowsDone(j.lastWireAt, 1);
                    }
                }
            }
            if (ms % 100 != 0)
                continue;
            const metrics::LaneSnapshot s = lane.sample(now, start, 0, false);
            QVERIFY2(s.sentPerS <= 100.0, qPrintable(QStringLiteral("%1/s at %2 ms").arg(s.sentPerS).arg(ms)));
            QVERIFY(s.throttledPerS <= s.sentPerS);
            QVERIFY(s.rowsPerS + s.throttledPerS <= s.sentPerS);
            QCOMPARE(s.rateWindowS, 1.0);
            QCOMPARE(qint64(s.sentPerS), s.sentInWindow);
            maxSent = std::max(maxSent, s.sentInWindow);
            if (ms == 1000 || ms == 2000) {
                QCOMPARE(s.sentInWindow, 100);
                QCOMPARE(s.throttledPerS, 10.0);
                QCOMPARE(s.rowsPerS, 90.0);
            }
        }
        QCOMPARE(maxSent, 100);
    }
};

QTEST_GUILESS_MAIN(TestLane)
#include "tst_lane.moc"
