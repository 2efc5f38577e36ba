#include "clock/FakeClock.h"
#include "rate/AdaptiveRateLimiter.h"
#include "rate/ConcurrencyLimit.h"
#include "rate/GcraLimiter.h"
#include "rate/HeaderPacer.h"
#include "rate/LimiterStack.h"
#include "rate/RateSignalParser.h"
#include "rate/SlidingWindowLimiter.h"

#include <QTest>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using namespace headroom::rate;

namespace {

ResponseObservation answer(int status, Duration latency, const RateSignals *parsed = nullptr)
{
    ResponseObservation o;
    o.status = status;
    o.latency = latency;
    o.rateSignals = parsed;
    return o;
}

RateSignals parse(const FakeClock &clock, const QList<QPair<QByteArray, QByteArray>> &headers, int status = 200)
{
    return RateSignalParser::parse(status, headers, QByteArray(), clock);
}

qint64 msFrom(TimePoint from, TimePoint to)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

} // namespace

class TestLimiters : public QObject
{
    Q_OBJECT
private slots:
    void slidingWindowAllowsLimitThenWaitsWindowPlusMargin()
    {
        FakeClock clock;
        SlidingWindowLimiter limiter(3, 1s, 10ms);
        const TimePoint t0 = clock.now();
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(limiter.earliestSend(clock.now()), clock.now());
            limiter.onSend(clock.now());
            clock.advance(100ms);
        }
        // The oldest of the last three left at t0: the fourth may go at t0 + 1 s + 10 ms.
        QCOMPARE(limiter.earliestSend(clock.now()), t0 + 1010ms);
        clock.advanceTo(t0 + 1010ms);
        QCOMPARE(limiter.earliestSend(clock.now()), clock.now());
        limiter.onSend(clock.now());
        QCOMPARE(limiter.earliestSend(clock.now()), t0 + 100ms + 1010ms);
        QCOMPARE(limiter.currentRate(clock.now()), 3.0 / 1.01);
    }

    void slidingWindowNeverHasLimitPlusOneInWindowPlusMargin()
    {
        FakeClock clock;
        SlidingWindowLimiter limiter(5, 200ms, 3ms);
        std::vector<TimePoint> sends;
        for (int i = 0; i < 200; ++i) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            limiter.onSend(clock.now());
            sends.push_back(clock.now());
            clock.advance(Duration((i * 7919) % 40 * 1ms)); // irregular gaps
        }
        for (size_t i = 5; i < sends.size(); ++i)
            QVERIFY(sends[i] - sends[i - 5] >= Duration(203ms));
    }

    void slidingWindowCountsWireTime()
    {
        // The dispatcher records a send when it hands it to QNAM and corrects
        // it when the request reaches the socket. The window must follow the
        // later time, or a server counting arrivals sees limit+1 in a window.
        FakeClock clock;
        SlidingWindowLimiter limiter(3, 1s, 0ms);
        const TimePoint t0 = clock.now();
        limiter.onSend(t0);
        limiter.onSend(t0);
        limiter.onSend(t0);
        QCOMPARE(limiter.earliestSend(t0), t0 + 1s);
        // The first one only left 40 ms later (a new connection's handshake).
        limiter.onWire(t0, t0 + 40ms);
        QCOMPARE(limiter.earliestSend(t0), t0 + 1s); // two are still at t0
        limiter.onWire(t0, t0 + 30ms);
        limiter.onWire(t0, t0 + 35ms);
        QCOMPARE(limiter.earliestSend(t0), t0 + 1s + 30ms); // oldest is now t0+30ms
        // Never earlier than recorded, and unknown sends are ignored.
        limiter.onWire(t0 + 35ms, t0 + 10ms);
        limiter.onWire(t0 + 500ms, t0 + 900ms);
        QCOMPARE(limiter.earliestSend(t0), t0 + 1s + 30ms);
    }

    void slidingWindowCountsAQueuedRequestFromItsAnswer()
    {
        // A server that answers in 1 ms when idle took 30 ms over the second
        // request of a burst: it sat in the server's queue, and was counted
        // near the end of it. Its slot frees a window after that, not after
        // its wire time.
        FakeClock clock;
        SlidingWindowLimiter limiter(2, 1s, 5ms);
        const TimePoint t0 = clock.now();
        limiter.onSend(t0);
        limiter.onSend(t0);
        auto answer = [&limiter, t0](Duration after) {
            ResponseObservation o;
            o.status = 202;
            o.sentAt = t0;
            o.wireAt = t0;
            o.latency = after;
            limiter.onResponse(t0 + after, o);
        };
        answer(1ms);
        answer(30ms);
        QCOMPARE(limiter.earliestSend(t0), t0 + 1s + 5ms); // the first slot
        limiter.onSend(t0 + 1s + 5ms);
        QCOMPARE(limiter.earliestSend(t0 + 1s + 5ms), t0 + 29ms + 1s + 5ms); // not t0 + 1 s + 5 ms

        // A server with latency of its own (160 ms at the fastest): the spread
        // of its answers is time after its count, and sends stay at their wire times.
        SlidingWindowLimiter slow(2, 1s, 5ms);
        slow.onSend(t0);
        slow.onSend(t0);
        for (Duration after : {Duration(160ms), Duration(240ms)}) {
            ResponseObservation o;
            o.status = 202;
            o.sentAt = t0;
            o.wireAt = t0;
            slow.onResponse(t0 + after, o);
        }
        slow.onSend(t0 + 1s + 5ms);
        QCOMPARE(slow.earliestSend(t0 + 1s + 5ms), t0 + 1s + 5ms);

        // No answer (a transport error) moves nothing.
        SlidingWindowLimiter failed(1, 1s, 0ms);
        failed.onSend(t0);
        ResponseObservation lost;
        lost.wireAt = t0;
        failed.onResponse(t0 + 500ms, lost);
        QCOMPARE(failed.earliestSend(t0), t0 + 1s);
    }

    void stackForwardsWireTime()
    {
        FakeClock clock;
        LimiterStack stack;
        stack.add(std::make_unique<SlidingWindowLimiter>(1, 1s, 0ms));
        const TimePoint t0 = clock.now();
        stack.onSend(t0);
        stack.onWire(t0, t0 + 20ms);
        QCOMPARE(stack.earliestSend(t0), t0 + 1s + 20ms);
    }

    void slidingWindowStateSurvivesRestart()
    {
        FakeClock before;
        SlidingWindowLimiter limiter(3, 1s, 0ms);
        for (int i = 0; i < 3; ++i) {
            limiter.onSend(before.now());
            before.advance(100ms);
        }
        const QJsonObject saved = limiter.saveState(before.now(), before.wallNow());

        // A new process: another steady epoch, the same wall clock 100 ms later.
        FakeClock after;
        after.advance(5h);
        after.setWallNow(before.wallNow() + 100ms);
        SlidingWindowLimiter restored(3, 1s, 0ms);
        restored.restoreState(saved, after.now(), after.wallNow());
        // The first send was 400 ms ago on the wall clock: 600 ms to wait.
        QCOMPARE(msFrom(after.now(), restored.earliestSend(after.now())), qint64(600));
    }

    void gcraPacesAndBursts()
    {
        FakeClock clock;
        GcraLimiter strict(10.0);
        strict.onSend(clock.now());
        QCOMPARE(msFrom(clock.now(), strict.earliestSend(clock.now())), qint64(100));

        GcraLimiter bursty(10.0, 2);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(bursty.earliestSend(clock.now()), clock.now());
            bursty.onSend(clock.now());
        }
        QCOMPARE(msFrom(clock.now(), bursty.earliestSend(clock.now())), qint64(100));
        clock.advance(1s); // quiet: the burst is back
        QCOMPARE(bursty.earliestSend(clock.now()), clock.now());
        bursty.setRate(2.0);
        QCOMPARE(bursty.currentRate(clock.now()), 2.0);
    }

    void concurrencyWaitsForResponses()
    {
        FakeClock clock;
        ConcurrencyLimit limit(2);
        limit.onSend(clock.now());
        limit.onSend(clock.now());
        QCOMPARE(limit.earliestSend(clock.now()), TimePoint::max());
        limit.onResponse(clock.now(), answer(500, 10ms));
        QCOMPARE(limit.earliestSend(clock.now()), clock.now());
        QCOMPARE(limit.inFlight(), 1);
    }

    void stackWaitsForTheSlowestAndSaysWhich()
    {
        FakeClock clock;
        LimiterStack lane;
        lane.add(std::make_unique<GcraLimiter>(10.0));
        lane.add(std::make_unique<SlidingWindowLimiter>(2, 1s, 0ms));
        lane.add(std::make_unique<ConcurrencyLimit>(8));
        QCOMPARE(lane.earliestSend(clock.now()), clock.now());
        QCOMPARE(lane.binding(clock.now()).limiter, QString());
        lane.onSend(clock.now());
        QCOMPARE(lane.binding(clock.now()).limiter, QStringLiteral("gcra"));
        QCOMPARE(msFrom(clock.now(), lane.earliestSend(clock.now())), qint64(100));
        clock.advance(100ms);
        lane.onSend(clock.now());
        // The window (2 per s) now binds: the first send was 100 ms ago.
        QCOMPARE(lane.binding(clock.now()).limiter, QStringLiteral("sliding-window"));
        QCOMPARE(msFrom(clock.now(), lane.earliestSend(clock.now())), qint64(900));
        QCOMPARE(lane.currentRate(clock.now()), 2.0);
    }

    void stackPauseExtendsButNeverShortens()
    {
        FakeClock clock;
        LimiterStack lane;
        lane.add(std::make_unique<GcraLimiter>(1000.0));
        lane.pauseUntil(clock.now() + 5s, QStringLiteral("Retry-After 5 s"));
        lane.pauseUntil(clock.now() + 2s, QStringLiteral("shorter"));
        QCOMPARE(msFrom(clock.now(), lane.earliestSend(clock.now())), qint64(5000));
        const auto b = lane.binding(clock.now());
        QCOMPARE(b.limiter, QStringLiteral("pause"));
        QCOMPARE(b.reason, QStringLiteral("Retry-After 5 s"));
        QVERIFY(lane.isPaused(clock.now()));
        lane.pauseUntil(clock.now() + 8s, QStringLiteral("msBeforeNext"));
        QCOMPARE(msFrom(clock.now(), lane.earliestSend(clock.now())), qint64(8000));
        clock.advance(8s);
        QVERIFY(!lane.isPaused(clock.now()));
        QCOMPARE(lane.earliestSend(clock.now()), clock.now());
    }

    void pacerProbesOnceThenStepsAsideWithoutHeaders()
    {
        FakeClock clock;
        HeaderPacer pacer;
        QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
        pacer.onSend(clock.now());
        QCOMPARE(pacer.earliestSend(clock.now()), TimePoint::max()); // one probe until we know
        clock.advance(50ms);
        const RateSignals nothing = parse(clock, {});
        pacer.onResponse(clock.now(), answer(200, 50ms, &nothing));
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
            pacer.onSend(clock.now());
        }
        QCOMPARE(pacer.currentRate(clock.now()), -1.0);
    }

    void pacerHoldsAtZeroUntilReset()
    {
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());
        clock.advance(40ms);
        const RateSignals s = parse(clock, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "5"}});
        pacer.onResponse(clock.now(), answer(200, 40ms, &s));
        QCOMPARE(pacer.available(clock.now()), qint64(0));
        QCOMPARE(msFrom(clock.now(), pacer.earliestSend(clock.now())), qint64(5000));
        QCOMPARE(pacer.currentRate(clock.now()), 0.0);
    }

    void pacerStepsAsideWhenHeadersStop()
    {
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());
        clock.advance(20ms);
        // A 429 that says only "0 left, reset in 2 s" (no limit).
        const RateSignals spent = parse(clock, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "2"}}, 429);
        pacer.onResponse(clock.now(), answer(429, 20ms, &spent));
        QCOMPARE(msFrom(clock.now(), pacer.earliestSend(clock.now())), qint64(2000));
        clock.advance(2s);
        // The window is over; with no limit known, one probe at a time...
        QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
        pacer.onSend(clock.now());
        QCOMPARE(pacer.earliestSend(clock.now()), TimePoint::max());
        clock.advance(30ms);
        // ...until a silent answer: then the pacer has no opinion any more.
        const RateSignals silent = parse(clock, {});
        pacer.onResponse(clock.now(), answer(200, 30ms, &silent));
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
            pacer.onSend(clock.now());
        }
    }

    void pacerCountsRequestsTheServerHasNotSeen()
    {
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());            // the request that will report
        const TimePoint reporterSent = clock.now();
        clock.advance(20ms);
        pacer.onSend(clock.now());            // two more go out before its answer
        pacer.onSend(clock.now());
        clock.advanceTo(reporterSent + 100ms);
        const RateSignals s = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "3"},
                                            {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, 100ms, &s));
        // 3 left at the server when it counted ours; two of ours came after it.
        QCOMPARE(pacer.available(clock.now()), qint64(1));
        QCOMPARE(pacer.inFlight(), 2);
    }

    void pacerSendsWhatIsLeftAtOnceWhileTheWindowIsOurs()
    {
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());
        clock.advance(10ms);
        // 9 left, reset in 10 s: the first request opened the window, nobody else spends from it.
        const RateSignals s = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "9"},
                                            {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, 10ms, &s));
        for (int i = 0; i < 9; ++i) {
            QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
            pacer.onSend(clock.now());
        }
        QCOMPARE(pacer.available(clock.now()), qint64(0));
        QVERIFY(pacer.earliestSend(clock.now()) >= clock.now() + 9s); // spent: held to the reset
        QVERIFY(!pacer.sharedWindow());
    }

    void pacerUsesTheLastSlotOfABurstOnceItsAnswersAreBack()
    {
        // Six sent within a millisecond: none of them can be placed before or
        // after another, but once all have answered, the least `remaining` is
        // the count and the window's last request may go at once.
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());
        clock.advance(2ms);
        const RateSignals first = parse(clock, {{"X-RateLimit-Limit", "7"}, {"X-RateLimit-Remaining", "6"},
                                                {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, 2ms, &first));
        const TimePoint burst = clock.now();
        for (int i = 0; i < 5; ++i)
            pacer.onSend(burst + std::chrono::microseconds(100 * i));
        clock.advance(3ms);
        for (int i = 4; i >= 0; --i) { // answers in reverse order
            const RateSignals r = parse(clock, {{"X-RateLimit-Limit", "7"},
                                                {"X-RateLimit-Remaining", QByteArray::number(5 - i)},
                                                {"X-RateLimit-Reset", "10"}});
            pacer.onResponse(clock.now(), answer(200, clock.now() - (burst + std::chrono::microseconds(100 * i)), &r));
        }
        QCOMPARE(pacer.inFlight(), 0);
        QCOMPARE(pacer.available(clock.now()), qint64(1));
        QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
    }

    void pacerPlacesRequestsByWhenTheyLeft()
    {
        // The reporting request was handed over first but reached the wire
        // 40 ms later, after a second one (a new connection's handshake): the
        // server counted the second before it, so its `remaining` includes it.
        FakeClock clock;
        HeaderPacer pacer;
        const TimePoint t0 = clock.now();
        pacer.onSend(t0);
        const RateSignals first = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "9"},
                                                {"X-RateLimit-Reset", "10"}});
        clock.advance(1ms);
        pacer.onResponse(clock.now(), answer(200, 1ms, &first));
        const TimePoint reporter = t0 + 2ms;
        const TimePoint other = t0 + 20ms;
        pacer.onSend(reporter);
        pacer.onSend(other);
        pacer.onWire(other, other + 5ms);
        pacer.onWire(reporter, reporter + 40ms);
        clock.advanceTo(t0 + 60ms);
        const RateSignals s = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "7"},
                                            {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, clock.now() - reporter, &s));
        QCOMPARE(pacer.inFlight(), 1);
        // 7 left with both counted; by hand-over times the second would look uncounted (6).
        QCOMPARE(pacer.available(clock.now()), qint64(7));
    }

    void pacerSpreadsWhatIsLeftWhenOthersSpendFromTheWindow()
    {
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());
        clock.advance(10ms);
        // 9 left, reset in 10 s (a delta, rounded up: the real reset is 9-10 s away).
        const RateSignals opened = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "9"},
                                                 {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, 10ms, &opened));
        pacer.onSend(clock.now());
        clock.advance(10ms);
        // Our second request leaves 4, not 8: someone else took 4.
        const RateSignals s = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "4"},
                                            {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, 10ms, &s));
        QVERIFY(pacer.sharedWindow());
        std::vector<TimePoint> sends;
        for (int i = 0; i < 4; ++i) {
            const TimePoint at = pacer.earliestSend(clock.now());
            QVERIFY(at < clock.now() + 3s); // spread, not held to the end
            clock.advanceTo(at);
            pacer.onSend(clock.now());
            sends.push_back(clock.now());
        }
        // All four before the earliest the window can end, none bunched.
        QVERIFY(sends.back() <= sends.front() + 9s);
        for (size_t i = 1; i < sends.size(); ++i)
            QVERIFY(sends[i] - sends[i - 1] >= Duration(1s));
        QCOMPARE(pacer.available(clock.now()), qint64(0));
    }

    void pacerUsesStatedIetfWindowAndState()
    {
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());
        clock.advance(30ms);
        const RateSignals s = parse(clock, {{"RateLimit-Policy", "\"default\";q=100;w=10"},
                                            {"RateLimit", "\"default\";r=0;t=4"}});
        pacer.onResponse(clock.now(), answer(200, 30ms, &s));
        QCOMPARE(pacer.knownLimit().value_or(-1), qint64(100));
        QCOMPARE(pacer.learnedWindow().value_or(Duration{}), Duration(10s));
        QCOMPARE(msFrom(clock.now(), pacer.earliestSend(clock.now())), qint64(4000));

        // A restart 1 s later still holds until the same wall-clock instant.
        const QJsonObject saved = pacer.saveState(clock.now(), clock.wallNow());
        FakeClock later;
        later.advance(7h);
        later.setWallNow(clock.wallNow() + 1s);
        HeaderPacer restored;
        restored.restoreState(saved, later.now(), later.wallNow());
        QCOMPARE(msFrom(later.now(), restored.earliestSend(later.now())), qint64(3000));
        QCOMPARE(restored.knownLimit().value_or(-1), qint64(100));
    }

    void pacerIgnoresOlderNews()
    {
        FakeClock clock;
        HeaderPacer pacer;
        const TimePoint first = clock.now();
        pacer.onSend(first);
        clock.advance(10ms);
        pacer.onSend(clock.now());
        clock.advance(200ms);
        // The second request's answer comes first and says 5 remain...
        const RateSignals fresh = parse(clock, {{"X-RateLimit-Remaining", "5"}, {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, 200ms, &fresh));
        // ...then the first one's, with the older count of 6: it changes nothing.
        const RateSignals stale = parse(clock, {{"X-RateLimit-Remaining", "6"}, {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, clock.now() - first, &stale));
        QCOMPARE(pacer.available(clock.now()), qint64(5));
    }

    void adaptiveSlowStartsThenCutsOnThrottle()
    {
        FakeClock clock;
        AdaptiveRateLimiter limiter;
        QCOMPARE(limiter.currentRate(clock.now()), 5.0);
        // Send as fast as allowed for 3 s: slow start doubles every 0.5 s.
        while (clock.now() < TimePoint(FakeClock().now() + 3s)) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            limiter.onSend(clock.now());
            limiter.onResponse(clock.now(), answer(200, 0ms));
        }
        const double beforeThrottle = limiter.currentRate(clock.now());
        QVERIFY2(beforeThrottle > 40.0, qPrintable(QString::number(beforeThrottle)));
        QVERIFY(!limiter.hasThrottled());

        limiter.onSend(clock.now());
        clock.advance(50ms);
        limiter.onResponse(clock.now(), answer(429, 50ms));
        QVERIFY(limiter.hasThrottled());
        const double afterThrottle = limiter.currentRate(clock.now());
        QVERIFY(afterThrottle <= 0.7 * limiter.lastMaxRate() + 1e-9);
        QVERIFY(afterThrottle < beforeThrottle);

        // A 429 for a request sent before the cut is old news: no second cut.
        limiter.onResponse(clock.now(), answer(429, 200ms));
        QCOMPARE(limiter.currentRate(clock.now()), afterThrottle);
    }

    // The second throttle at the same ceiling says the limit is fixed: the
    // cut is 0.9, not 0.7. A throttle at another ceiling cuts by 0.7 again.
    void adaptiveCutsLessAtASettledCeiling()
    {
        FakeClock clock;
        AdaptiveRateLimiter limiter;
        auto runUntilThrottle = [&](Duration forHowLong) {
            const TimePoint end = clock.now() + forHowLong;
            while (clock.now() < end) {
                clock.advanceTo(limiter.earliestSend(clock.now()));
                limiter.onSend(clock.now());
                limiter.onResponse(clock.now(), answer(200, 0ms));
            }
            limiter.onSend(clock.now());
            limiter.onResponse(clock.now(), answer(429, 0ms));
        };
        runUntilThrottle(3s);
        QVERIFY(!limiter.hasSettled());
        const double first = limiter.lastMaxRate();
        QVERIFY(qAbs(limiter.currentRate(clock.now()) - 0.7 * first) < 1e-6);

        // Climb back to about the same rate and hit the limit there again.
        const TimePoint end = clock.now() + 30s;
        while (clock.now() < end && limiter.currentRate(clock.now()) < 0.97 * first) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            limiter.onSend(clock.now());
            limiter.onResponse(clock.now(), answer(200, 0ms));
        }
        limiter.onSend(clock.now());
        limiter.onResponse(clock.now(), answer(429, 0ms));
        const double second = limiter.lastMaxRate();
        QVERIFY2(qAbs(second - first) <= 0.1 * first, qPrintable(QStringLiteral("%1 vs %2").arg(second).arg(first)));
        QVERIFY(limiter.hasSettled());
        QVERIFY(qAbs(limiter.currentRate(clock.now()) - 0.9 * second) < 1e-6);

        // The limit drops: throttled again while still sending at the shallow
        // cut's rate, well below the ceiling. That is not the same ceiling any
        // more, so the cut is the deep one again, and stays deep.
        for (int round = 0; round < 3; ++round) {
            const TimePoint until = clock.now() + 300ms;
            while (clock.now() < until) {
                clock.advanceTo(limiter.earliestSend(clock.now()));
                limiter.onSend(clock.now());
                limiter.onResponse(clock.now(), answer(200, 0ms));
            }
            const double before = limiter.currentRate(clock.now());
            limiter.onSend(clock.now());
            limiter.onResponse(clock.now(), answer(429, 0ms));
            QVERIFY2(!limiter.hasSettled(), qPrintable(QStringLiteral("round %1").arg(round)));
            QVERIFY(limiter.currentRate(clock.now()) <= 0.7 * before + 1e-6);
        }
    }

    void adaptiveClimbsBackAndProbesPastTheOldMax()
    {
        FakeClock clock;
        AdaptiveRateLimiter limiter;
        for (int i = 0; i < 2000 && clock.now() < FakeClock().now() + 4s; ++i) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            limiter.onSend(clock.now());
            limiter.onResponse(clock.now(), answer(200, 0ms));
        }
        limiter.onSend(clock.now());
        limiter.onResponse(clock.now(), answer(429, 0ms));
        const double wMax = limiter.lastMaxRate();
        // Keep succeeding for 10 s: the cubic passes w_max and keeps going.
        const TimePoint end = clock.now() + 10s;
        while (clock.now() < end) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            limiter.onSend(clock.now());
            limiter.onResponse(clock.now(), answer(200, 0ms));
        }
        QVERIFY2(limiter.currentRate(clock.now()) > wMax,
                 qPrintable(QStringLiteral("%1 <= %2").arg(limiter.currentRate(clock.now())).arg(wMax)));

        const QJsonObject saved = limiter.saveState();
        AdaptiveRateLimiter restored;
        restored.restoreState(saved, clock.now());
        QVERIFY(restored.hasThrottled());
        QVERIFY(restored.currentRate(clock.now()) > 5.0);
    }
};

QTEST_GUILESS_MAIN(TestLimiters)
#include "tst_limiters.moc"
