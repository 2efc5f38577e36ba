#include "core/clock/FakeClock.h"
#include "core/rate/GrantedBudgetLimiter.h"
#include "core/rate/ConcurrencyLimit.h"
#include "core/rate/GcraLimiter.h"
#include "core/rate/HeaderPacer.h"
#include "core/rate/LimiterStack.h"
#include "core/rate/RateSignalParser.h"
#include "core/rate/SlidingWindowLimiter.h"

#include <QTest>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using namespace headroom::rate;

namespace {

ResponseObservation answer(int status, Duration latency, const RateSignals *parsed = nullptr, TimePoint sentAt = {})
{
    ResponseObservation o;
    o.status = status;
    o.latency = latency;
    o.rateSignals = parsed;
    o.sentAt = sentAt; // as the Dispatcher tells it, when the test knows
    o.wireAt = sentAt;
    return o;
}

RateSignals parse(const FakeClock &clock, const QList<QPair<QByteArray, QByteArray>> &headers, int status = 200)
{
    return RateSignalParser::parse(status, headers, QByteArray(), clock);
}

RateSignalParser::HeaderList pairs(const QByteArrayList &flat)
{
    RateSignalParser::HeaderList list;
    for (int i = 0; i + 1 < flat.size(); i += 2)
        list.append({flat[i], flat[i + 1]});
    return list;
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
    void slidingWindowAllowsLimitThenWaitsWindowPlusMargin_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("windowMs");
        QTest::addColumn<int>("marginMs");
        QTest::addColumn<int>("gapMs");
        QTest::newRow("3 per second, 10 ms margin") << 3 << 1000 << 10 << 100;
        QTest::newRow("2 per 500 ms, no margin") << 2 << 500 << 0 << 50;
    }
    void slidingWindowAllowsLimitThenWaitsWindowPlusMargin()
    {
        QFETCH(int, limit);
        QFETCH(int, windowMs);
        QFETCH(int, marginMs);
        QFETCH(int, gapMs);
        const Duration window = windowMs * 1ms;
        const Duration margin = marginMs * 1ms;
        const Duration gap = gapMs * 1ms;
        FakeClock clock;
        SlidingWindowLimiter limiter(limit, window, margin);
        const TimePoint t0 = clock.now();
        for (int i = 0; i < limit; ++i) {
            QCOMPARE(limiter.earliestSend(clock.now()), clock.now());
            limiter.onSend(clock.now());
            clock.advance(gap);
        }
        // The oldest of the last `limit` left at t0: the next may go a window and the margin later.
        QCOMPARE(limiter.earliestSend(clock.now()), t0 + window + margin);
        clock.advanceTo(t0 + window + margin);
        QCOMPARE(limiter.earliestSend(clock.now()), clock.now());
        limiter.onSend(clock.now());
        QCOMPARE(limiter.earliestSend(clock.now()), t0 + gap + window + margin);
        QCOMPARE(limiter.currentRate(clock.now()), limit / std::chrono::duration<double>(window + margin).count());
    }

    void slidingWindowNeverHasLimitPlusOneInWindowPlusMargin_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("windowMs");
        QTest::addColumn<int>("marginMs");
        QTest::newRow("5 per 200 ms, 3 ms margin") << 5 << 200 << 3;
        QTest::newRow("3 per second, 10 ms margin") << 3 << 1000 << 10;
        QTest::newRow("1 per 50 ms, no margin") << 1 << 50 << 0;
    }
    void slidingWindowNeverHasLimitPlusOneInWindowPlusMargin()
    {
        QFETCH(int, limit);
        QFETCH(int, windowMs);
        QFETCH(int, marginMs);
        const Duration span = (windowMs + marginMs) * 1ms;
        FakeClock clock;
        SlidingWindowLimiter limiter(limit, windowMs * 1ms, marginMs * 1ms);
        std::vector<TimePoint> sends;
        for (int i = 0; i < 200; ++i) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            limiter.onSend(clock.now());
            sends.push_back(clock.now());
            clock.advance(Duration((i * 7919) % 40 * 1ms)); // irregular gaps
        }
        for (size_t i = size_t(limit); i < sends.size(); ++i)
            QVERIFY(sends[i] - sends[i - size_t(limit)] >= span);
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

    // Two sends at t0 to a server counting at arrival, with their answers
    // back after the given latencies. A server that answers in 1 ms when idle
    // took 30 ms over the second request of a burst: it sat in the server's
    // queue and was counted near the end of it, so its slot frees a window
    // after that, not after its wire time. A server with latency of its own
    // (160 ms at the fastest) spreads its answers by time after its count,
    // and the sends stay at their wire times.
    void slidingWindowCountsAQueuedRequestFromItsAnswer_data()
    {
        QTest::addColumn<int>("firstMs");
        QTest::addColumn<int>("secondMs");
        QTest::addColumn<int>("movedMs");
        QTest::newRow("queued at the server") << 1 << 30 << 29;
        QTest::newRow("latency of its own") << 160 << 240 << 0;
    }
    void slidingWindowCountsAQueuedRequestFromItsAnswer()
    {
        QFETCH(int, firstMs);
        QFETCH(int, secondMs);
        QFETCH(int, movedMs);
        FakeClock clock;
        SlidingWindowLimiter limiter(2, 1s, 5ms);
        const TimePoint t0 = clock.now();
        limiter.onSend(t0);
        limiter.onSend(t0);
        for (int ms : {firstMs, secondMs}) {
            ResponseObservation o;
            o.status = 202;
            o.sentAt = t0;
            o.wireAt = t0;
            o.latency = ms * 1ms;
            limiter.onResponse(t0 + ms * 1ms, o);
        }
        QCOMPARE(limiter.earliestSend(t0), t0 + 1s + 5ms); // the first slot
        limiter.onSend(t0 + 1s + 5ms);
        QCOMPARE(limiter.earliestSend(t0 + 1s + 5ms), t0 + movedMs * 1ms + 1s + 5ms);
    }

    // No answer (a transport error) moves nothing.
    void slidingWindowIgnoresALostAnswer()
    {
        FakeClock clock;
        const TimePoint t0 = clock.now();
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

    // `burst` extra sends go at once, then one every 1/rate; a quiet second
    // brings the burst back.
    void gcraPacesAndBursts_data()
    {
        QTest::addColumn<int>("burst");
        QTest::newRow("strict") << 0;
        QTest::newRow("burst of 2") << 2;
    }
    void gcraPacesAndBursts()
    {
        QFETCH(int, burst);
        FakeClock clock;
        GcraLimiter gcra(10.0, burst);
        for (int i = 0; i <= burst; ++i) {
            QCOMPARE(gcra.earliestSend(clock.now()), clock.now());
            gcra.onSend(clock.now());
        }
        QCOMPARE(msFrom(clock.now(), gcra.earliestSend(clock.now())), qint64(100));
        clock.advance(1s); // quiet: the burst is back
        QCOMPARE(gcra.earliestSend(clock.now()), clock.now());
        gcra.setRate(2.0);
        QCOMPARE(gcra.currentRate(clock.now()), 2.0);
    }

    void concurrencyWaitsForResponses_data()
    {
        QTest::addColumn<int>("limit");
        QTest::newRow("1") << 1;
        QTest::newRow("2") << 2;
        QTest::newRow("8") << 8;
    }
    void concurrencyWaitsForResponses()
    {
        QFETCH(int, limit);
        FakeClock clock;
        ConcurrencyLimit concurrency(limit);
        for (int i = 0; i < limit; ++i)
            concurrency.onSend(clock.now());
        QCOMPARE(concurrency.earliestSend(clock.now()), TimePoint::max());
        concurrency.onResponse(clock.now(), answer(500, 10ms));
        QCOMPARE(concurrency.earliestSend(clock.now()), clock.now());
        QCOMPARE(concurrency.inFlight(), limit - 1);
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

    // An answer saying nothing is left holds the pacer until the stated reset,
    // whichever header family says it and whether or not it is a 429.
    void pacerHoldsAtZeroUntilReset_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArrayList>("headers");
        QTest::addColumn<int>("waitMs");
        QTest::newRow("X-RateLimit") << 200 << QByteArrayList{"X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "5"}
                                     << 5000;
        QTest::newRow("X-RateLimit on a 429")
            << 429 << QByteArrayList{"X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "2"} << 2000;
        QTest::newRow("IETF") << 200
                              << QByteArrayList{"RateLimit-Policy", "\"default\";q=100;w=10", "RateLimit",
                                                "\"default\";r=0;t=4"}
                              << 4000;
    }
    void pacerHoldsAtZeroUntilReset()
    {
        QFETCH(int, status);
        QFETCH(QByteArrayList, headers);
        QFETCH(int, waitMs);
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());
        clock.advance(40ms);
        const RateSignals s = parse(clock, pairs(headers), status);
        pacer.onResponse(clock.now(), answer(status, 40ms, &s));
        QCOMPARE(pacer.available(clock.now()), qint64(0));
        QCOMPARE(msFrom(clock.now(), pacer.earliestSend(clock.now())), qint64(waitMs));
        QCOMPARE(pacer.currentRate(clock.now()), 0.0);
    }

    // Without headers the pacer sends one probe at a time until an answer
    // that says nothing; from then on it has no opinion. The same holds when
    // headers stop after a window they had spent (a 429 that says only
    // "0 left, reset in 2 s", no limit).
    void pacerStepsAsideWithoutHeaders_data()
    {
        QTest::addColumn<bool>("spentWindowFirst");
        QTest::addColumn<int>("latencyMs");
        QTest::newRow("no headers from the start") << false << 50;
        QTest::newRow("headers stop after a spent window") << true << 30;
    }
    void pacerStepsAsideWithoutHeaders()
    {
        QFETCH(bool, spentWindowFirst);
        QFETCH(int, latencyMs);
        FakeClock clock;
        HeaderPacer pacer;
        if (spentWindowFirst) {
            pacer.onSend(clock.now());
            clock.advance(20ms);
            const RateSignals spent =
                parse(clock, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "2"}}, 429);
            pacer.onResponse(clock.now(), answer(429, 20ms, &spent));
            QCOMPARE(msFrom(clock.now(), pacer.earliestSend(clock.now())), qint64(2000));
            clock.advance(2s); // the window is over
        }
        QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
        pacer.onSend(clock.now());
        QCOMPARE(pacer.earliestSend(clock.now()), TimePoint::max()); // one probe until we know
        clock.advance(latencyMs * 1ms);
        const RateSignals silent = parse(clock, {});
        pacer.onResponse(clock.now(), answer(200, latencyMs * 1ms, &silent));
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
            pacer.onSend(clock.now());
        }
        QCOMPARE(pacer.currentRate(clock.now()), -1.0);
    }

    void pacerCountsRequestsTheServerHasNotSeen()
    {
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now()); // the request that will report
        const TimePoint reporterSent = clock.now();
        clock.advance(20ms);
        pacer.onSend(clock.now()); // two more go out before its answer
        pacer.onSend(clock.now());
        clock.advanceTo(reporterSent + 100ms);
        const RateSignals s = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "3"}, {"X-RateLimit-Reset", "10"}});
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
        const RateSignals s = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "9"}, {"X-RateLimit-Reset", "10"}});
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
        const RateSignals first = parse(clock, {{"X-RateLimit-Limit", "7"}, {"X-RateLimit-Remaining", "6"}, {"X-RateLimit-Reset", "10"}});
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
        const RateSignals first = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "9"}, {"X-RateLimit-Reset", "10"}});
        clock.advance(1ms);
        pacer.onResponse(clock.now(), answer(200, 1ms, &first));
        const TimePoint reporter = t0 + 2ms;
        const TimePoint other = t0 + 20ms;
        pacer.onSend(reporter);
        pacer.onSend(other);
        pacer.onWire(other, other + 5ms);
        pacer.onWire(reporter, reporter + 40ms);
        clock.advanceTo(t0 + 60ms);
        const RateSignals s = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "7"}, {"X-RateLimit-Reset", "10"}});
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
        const RateSignals opened = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "9"}, {"X-RateLimit-Reset", "10"}});
        pacer.onResponse(clock.now(), answer(200, 10ms, &opened));
        pacer.onSend(clock.now());
        clock.advance(10ms);
        // Our second request leaves 4, not 8: someone else took 4.
        const RateSignals s = parse(clock, {{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "4"}, {"X-RateLimit-Reset", "10"}});
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

    // Which answers the granted budget learns from: a bare 429 (or one with
    // only Retry-After) is a measurement; a 429 that says where the window
    // ends belongs to the header pacer; nothing else teaches.
    void grantedBudgetLearnsFromBare429s_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArrayList>("headers");
        QTest::addColumn<bool>("teaches");
        QTest::newRow("bare 429") << 429 << QByteArrayList{} << true;
        QTest::newRow("429 with Retry-After") << 429 << QByteArrayList{"Retry-After", "1"} << true;
        QTest::newRow("429 with Remaining and Reset") << 429 << QByteArrayList{"X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "3"} << false;
        QTest::newRow("200") << 200 << QByteArrayList{} << false;
        QTest::newRow("503") << 503 << QByteArrayList{"Retry-After", "1"} << false;
    }
    void grantedBudgetLearnsFromBare429s()
    {
        QFETCH(int, status);
        QFETCH(QByteArrayList, headers);
        QFETCH(bool, teaches);
        FakeClock clock;
        RateSignalParser::HeaderList list;
        for (int i = 0; i + 1 < headers.size(); i += 2)
            list.append({headers[i], headers[i + 1]});
        const RateSignals s = RateSignalParser::parse(status, list, QByteArray(), clock);
        QCOMPARE(GrantedBudgetLimiter::teaches(answer(status, 10ms, &s)), teaches);
    }

    // A lane configured at 100 per second against a server granting 60: the
    // first 429 after 60 accepted sends is the measurement; the lane paces
    // evenly at 60 from then on and never above it in any window.
    void grantedBudgetMeasuresTheLimitAtTheFirstRejection_data()
    {
        QTest::addColumn<bool>("toldSendTimes");
        QTest::newRow("answers carry their send time") << true;
        // Matched by latency to the nearest send still out, as answers from
        // a caller that does not say when their request left.
        QTest::newRow("answers matched by latency") << false;
    }
    void grantedBudgetMeasuresTheLimitAtTheFirstRejection()
    {
        QFETCH(bool, toldSendTimes);
        const auto told = [toldSendTimes](TimePoint at) { return toldSendTimes ? at : TimePoint{}; };
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.ceiling = 100;
        GrantedBudgetLimiter limiter(config);
        QVERIFY(!limiter.estimate());
        QCOMPARE(limiter.earliestSend(clock.now()), clock.now()); // no opinion until a 429
        QList<TimePoint> sent;
        for (int i = 0; i < 61; ++i) {
            sent << clock.now();
            limiter.onSend(clock.now());
            clock.advance(2ms);
        }
        for (int i = 0; i < 60; ++i)
            limiter.onResponse(clock.now(), answer(200, clock.now() - sent[i], nullptr, told(sent[i])));
        limiter.onResponse(clock.now(), answer(429, clock.now() - sent[60], nullptr, told(sent[60])));
        QCOMPARE(limiter.estimate().value_or(-1), 60);
        QCOMPARE(limiter.episodes(), 1);
        // 61 attempts in the window (the refused one too): the next goes once
        // two of them have left it, one window and the margin after the second.
        QCOMPARE(limiter.earliestSend(clock.now()), sent[1] + 1s + 5ms);
        QCOMPARE(limiter.currentRate(clock.now()), 60.0);
    }

    // A configured ceiling is not trusted with a burst: its first window
    // goes at its even pace until a refusal, a stated limit or the window's
    // end.
    void grantedBudgetRampsIntoTheFirstWindow_data()
    {
        QTest::addColumn<QString>("endedBy");
        QTest::newRow("a refusal") << QStringLiteral("429");
        QTest::newRow("a stated limit") << QStringLiteral("headers");
        QTest::newRow("the first window's end") << QStringLiteral("window");
    }
    void grantedBudgetRampsIntoTheFirstWindow()
    {
        QFETCH(QString, endedBy);
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.ceiling = 100;
        GrantedBudgetLimiter limiter(config);
        const TimePoint start = clock.now();
        QList<TimePoint> sent;
        for (int i = 0; i < 50; ++i) {
            QCOMPARE(limiter.earliestSend(clock.now()), start + i * 10ms);
            clock.advanceTo(start + i * 10ms);
            sent << clock.now();
            limiter.onSend(clock.now());
        }
        QVERIFY(limiter.ramping(clock.now()));
        QCOMPARE(limiter.earliestSend(clock.now()), start + 500ms);
        RateSignals stated;
        stated.limit = 100;
        stated.remaining = 40;
        if (endedBy == QLatin1String("429"))
            limiter.onResponse(clock.now(), answer(429, 10ms, nullptr, sent[0]));
        else if (endedBy == QLatin1String("headers"))
            limiter.onResponse(clock.now(), answer(200, 10ms, &stated, sent[0]));
        else
            clock.advanceTo(start + 1s);
        QVERIFY(!limiter.ramping(clock.now()));
        if (endedBy != QLatin1String("429"))
            QCOMPARE(limiter.earliestSend(clock.now()), clock.now());
    }

    // A refusal below the pace the lane had settled on means others spend
    // from the budget; one within two windows of the last episode is the
    // same drop still draining from the server's window, and says nothing
    // about others.
    void grantedBudgetTellsADropFromANeighbour_data()
    {
        QTest::addColumn<int>("settledMs");
        QTest::addColumn<bool>("shared");
        QTest::newRow("refused again 100 ms later") << 100 << false;
        QTest::newRow("refused again 2.5 s later") << 2500 << true;
    }
    void grantedBudgetTellsADropFromANeighbour()
    {
        QFETCH(int, settledMs);
        QFETCH(bool, shared);
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.ceiling = 100;
        config.firstWindowRamp = false;
        config.quietWindows = 8; // no probe upward meanwhile
        GrantedBudgetLimiter limiter(config);
        // Refused after 90 accepted in a window, and again after 85.
        const auto window = [&](int accepted) {
            QList<TimePoint> sent;
            for (int i = 0; i <= accepted; ++i) {
                sent << clock.now();
                limiter.onSend(clock.now());
                clock.advance(1ms);
            }
            for (int i = 0; i < accepted; ++i)
                limiter.onResponse(clock.now(), answer(200, 1ms, nullptr, sent[i]));
            limiter.onResponse(clock.now(), answer(429, 1ms, nullptr, sent[accepted]));
        };
        window(90);
        QCOMPARE(limiter.estimate().value_or(-1), 90);
        clock.advance(std::chrono::milliseconds(settledMs) + 1s);
        window(85);
        QCOMPARE(limiter.episodes(), 2);
        QCOMPARE(limiter.shared(), shared);
    }

    // A refused probe costs one 429 whatever step it tested, so the next
    // probe tests the same step: after a drop a budget that comes back whole
    // is found in a few windows, not one request at a time.
    void grantedBudgetRetestsTheStepARefusedProbeTested()
    {
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.ceiling = 200;
        config.firstWindowRamp = false;
        config.quietWindows = 1;
        GrantedBudgetLimiter limiter(config);
        QList<TimePoint> sent;
        for (int i = 0; i <= 80; ++i) {
            sent << clock.now();
            limiter.onSend(clock.now());
            clock.advance(1ms);
        }
        for (int i = 0; i < 80; ++i)
            limiter.onResponse(clock.now(), answer(200, 1ms, nullptr, sent[i]));
        limiter.onResponse(clock.now(), answer(429, 1ms, nullptr, sent[80]));
        QCOMPARE(limiter.estimate().value_or(-1), 80);
        int probes = 0;
        for (int i = 0; i < 2000 && probes < 2; ++i) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            const TimePoint at = clock.now();
            const bool wasOut = limiter.probeOut();
            limiter.onSend(at);
            const bool probe = !wasOut && limiter.probeOut();
            probes += probe ? 1 : 0;
            clock.advance(1ms);
            limiter.onResponse(clock.now(), answer(probe && probes == 1 ? 429 : 200, 1ms, nullptr, at));
        }
        QCOMPARE(probes, 2);
        // The first probe tested 80 + 20 (a quarter after the drop) and was
        // refused; the second, granted, raised the estimate by as much.
        QCOMPARE(limiter.estimate().value_or(-1), 100);
    }

    // A ceiling too small to be worth testing goes whole.
    void grantedBudgetSendsASmallCeilingAtOnce()
    {
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.ceiling = 9;
        GrantedBudgetLimiter limiter(config);
        for (int i = 0; i < 9; ++i) {
            QCOMPARE(limiter.earliestSend(clock.now()), clock.now());
            limiter.onSend(clock.now());
        }
        QVERIFY(!limiter.ramping(clock.now()));
    }

    // Without a configured limit (discovery) it starts at `initial` per
    // window and doubles each window in which it was the binding rule.
    void grantedBudgetSlowStartsWithoutACeiling()
    {
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.initial = 8;
        GrantedBudgetLimiter limiter(config);
        QCOMPARE(limiter.estimate().value_or(-1), 8);
        const TimePoint end = clock.now() + 3500ms;
        while (clock.now() < end) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            const TimePoint at = clock.now();
            limiter.onSend(at);
            limiter.onResponse(clock.now(), answer(200, 0ms, nullptr, at));
        }
        QVERIFY2(limiter.estimate().value_or(-1) >= 32, qPrintable(QString::number(limiter.estimate().value_or(-1))));
    }

    // Liveness: whatever it learned, its wait is an instant fixed by past
    // sends and the hold — asking again later never moves it further out,
    // and it is never more than a window and the margin past the last send.
    void grantedBudgetWaitsAreFixedInstants()
    {
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.ceiling = 10;
        GrantedBudgetLimiter limiter(config);
        QList<TimePoint> sent;
        for (int i = 0; i < 6; ++i) {
            sent << clock.now();
            limiter.onSend(clock.now());
            clock.advance(1ms);
        }
        for (int i = 0; i < 5; ++i)
            limiter.onResponse(clock.now(), answer(200, 1ms, nullptr, sent[i]));
        limiter.onResponse(clock.now(), answer(429, 1ms, nullptr, sent[5]));
        const TimePoint first = limiter.earliestSend(clock.now());
        QVERIFY(first != TimePoint::max());
        QVERIFY(first <= sent.last() + 1s + 5ms);
        for (Duration late : {Duration(1ms), Duration(300ms), Duration(999ms)}) {
            const TimePoint asked = std::min(first, clock.now() + late);
            QCOMPARE(limiter.earliestSend(asked), std::max(first, asked));
        }
    }

    // A raise is tested by one request above the old estimate; refused, it
    // costs that one 429, the estimate stays, and the rest kept to the old one.
    void grantedBudgetProbesWithOneRequest()
    {
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.ceiling = 100;
        config.quietWindows = 1;
        GrantedBudgetLimiter limiter(config);
        auto sendAndAnswer = [&](int status) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            const TimePoint at = clock.now();
            limiter.onSend(at);
            limiter.onResponse(clock.now(), answer(status, 0ms, nullptr, at));
        };
        // Learn 20 per window.
        for (int i = 0; i < 20; ++i)
            sendAndAnswer(200);
        sendAndAnswer(429);
        QCOMPARE(limiter.estimate().value_or(-1), 20);
        // Paced at it for a few windows, then a raise arms a probe.
        const TimePoint until = clock.now() + 4s;
        while (clock.now() < until && !limiter.probing())
            sendAndAnswer(200);
        QVERIFY(limiter.probing());
        QVERIFY(limiter.estimate().value_or(-1) > 20);
        // The probe is refused: back to 20, no hold.
        int refused = 0;
        for (int i = 0; i < 50 && limiter.probing(); ++i) {
            clock.advanceTo(limiter.earliestSend(clock.now()));
            const TimePoint at = clock.now();
            limiter.onSend(at);
            const bool probe = limiter.probeOut();
            limiter.onResponse(clock.now(), answer(probe ? 429 : 200, 0ms, nullptr, at));
            refused += probe ? 1 : 0;
        }
        QCOMPARE(refused, 1);
        QCOMPARE(limiter.estimate().value_or(-1), 20);
        QVERIFY(limiter.holdUntil() <= clock.now());
    }

    // The learned budget survives a restart.
    void grantedBudgetStateRoundTrips()
    {
        FakeClock clock;
        GrantedBudgetLimiter::Config config;
        config.ceiling = 100;
        GrantedBudgetLimiter limiter(config);
        QList<TimePoint> sent;
        for (int i = 0; i < 31; ++i) {
            sent << clock.now();
            limiter.onSend(clock.now());
            clock.advance(1ms);
        }
        for (int i = 0; i < 30; ++i)
            limiter.onResponse(clock.now(), answer(200, 1ms, nullptr, sent[i]));
        limiter.onResponse(clock.now(), answer(429, 1ms, nullptr, sent[30]));
        GrantedBudgetLimiter restored(config);
        restored.restoreState(limiter.saveState(), clock.now());
        QCOMPARE(restored.estimate().value_or(-1), 30);
        QCOMPARE(restored.lastMeasurement().value_or(-1), 30);
    }
};

QTEST_GUILESS_MAIN(TestLimiters)
#include "tst_limiters.moc"
