#include "core/clock/FakeClock.h"
#include "core/rate/CircuitBreaker.h"
#include "core/rate/RateSignalParser.h"
#include "core/rate/RetryBudget.h"
#include "core/rate/RetryPolicy.h"

#include <QTest>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using namespace headroom::rate;

Q_DECLARE_METATYPE(RetryPolicy::Outcome)

namespace {

ResponseObservation observed(int status, const RateSignals *parsed = nullptr)
{
    ResponseObservation o;
    o.status = status;
    o.latency = 80ms;
    o.rateSignals = parsed;
    return o;
}

qint64 msFrom(TimePoint from, TimePoint to)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private slots:
    void classify_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("transportError");
        QTest::addColumn<bool>("timedOut");
        QTest::addColumn<RetryPolicy::Outcome>("outcome");
        using O = RetryPolicy::Outcome;
        QTest::newRow("200") << 200 << false << false << O::Done;
        QTest::newRow("201") << 201 << false << false << O::Done;
        QTest::newRow("204") << 204 << false << false << O::Done;
        QTest::newRow("429") << 429 << false << false << O::Throttled;
        QTest::newRow("408") << 408 << false << false << O::Retryable;
        QTest::newRow("500") << 500 << false << false << O::Retryable;
        QTest::newRow("502") << 502 << false << false << O::Retryable;
        QTest::newRow("503") << 503 << false << false << O::Retryable;
        QTest::newRow("504") << 504 << false << false << O::Retryable;
        QTest::newRow("522") << 522 << false << false << O::Retryable;
        QTest::newRow("501") << 501 << false << false << O::Permanent;
        QTest::newRow("505") << 505 << false << false << O::Permanent;
        QTest::newRow("400") << 400 << false << false << O::Permanent;
        QTest::newRow("401") << 401 << false << false << O::Permanent;
        QTest::newRow("403 plain") << 403 << false << false << O::Permanent;
        QTest::newRow("404") << 404 << false << false << O::Permanent;
        QTest::newRow("409") << 409 << false << false << O::Permanent;
        QTest::newRow("422") << 422 << false << false << O::Permanent;
        QTest::newRow("413") << 413 << false << false << O::SplitBatch;
        QTest::newRow("301 not followed") << 301 << false << false << O::Permanent;
        QTest::newRow("transport error") << 0 << true << false << O::Retryable;
        QTest::newRow("timeout") << 0 << false << true << O::Retryable;
        QTest::newRow("no status") << 0 << false << false << O::Retryable;
    }

    void classify()
    {
        QFETCH(int, status);
        QFETCH(bool, transportError);
        QFETCH(bool, timedOut);
        QFETCH(RetryPolicy::Outcome, outcome);
        ResponseObservation o = observed(status);
        o.transportError = transportError;
        o.timedOut = timedOut;
        const auto c = RetryPolicy::classify(o);
        QCOMPARE(c.outcome, outcome);
        if (outcome == RetryPolicy::Outcome::Permanent) {
            QVERIFY(!c.reason.isEmpty()); // kept for the dead letter
            QVERIFY(c.reason.contains(QString::number(status)));
        }
    }

    void forbiddenWithWaitHeaderIsThrottled()
    {
        FakeClock clock;
        const RateSignals s = RateSignalParser::parse(403, {{"Retry-After", "60"}}, QByteArray(), clock);
        QCOMPARE(RetryPolicy::classify(observed(403, &s)).outcome, RetryPolicy::Outcome::Throttled);
    }

    void fullJitterStaysInBounds()
    {
        RetryPolicy::Config config;
        config.baseDelay = 100ms;
        config.maxDelay = 2s;
        const RetryPolicy policy(config);
        RetryPolicy::RandomSource random(42);
        for (int attempt = 1; attempt <= 8; ++attempt) {
            const double ceiling = std::min(2.0, 0.1 * std::pow(2.0, attempt - 1));
            double sum = 0.0, top = 0.0;
            for (int i = 0; i < 2000; ++i) {
                const double d = std::chrono::duration<double>(policy.backoff(attempt, {}, random)).count();
                QVERIFY(d >= 0.0 && d <= ceiling);
                sum += d;
                top = std::max(top, d);
            }
            // Full jitter: uniform over [0, ceiling], so the mean is near half of it.
            QVERIFY(std::abs(sum / 2000 - ceiling / 2) < ceiling * 0.05);
            QVERIFY(top > ceiling * 0.95);
        }
    }

    void jitterIsReproducibleFromTheSeed()
    {
        const RetryPolicy policy;
        RetryPolicy::RandomSource a(7), b(7);
        for (int i = 1; i < 6; ++i)
            QCOMPARE(policy.backoff(i, {}, a), policy.backoff(i, {}, b));
    }

    void decorrelatedJitterStaysInBounds()
    {
        RetryPolicy::Config config;
        config.baseDelay = 100ms;
        config.maxDelay = 5s;
        config.jitter = RetryPolicy::Jitter::Decorrelated;
        const RetryPolicy policy(config);
        RetryPolicy::RandomSource random(3);
        Duration previous = 100ms;
        for (int i = 0; i < 500; ++i) {
            const Duration d = policy.backoff(i + 1, previous, random);
            QVERIFY(d >= Duration(100ms));
            QVERIFY(d <= std::min(Duration(5s), previous * 3));
            previous = d;
        }
    }

    void retryAfterOnA429PausesTheLane()
    {
        FakeClock clock;
        const RetryPolicy policy;
        RetryPolicy::RandomSource random(1);
        const RateSignals s = RateSignalParser::parse(429, {{"Retry-After", "7"}}, QByteArray(), clock);
        const auto d = policy.decide(1, clock.now(), observed(429, &s), clock.now(), random);
        QCOMPARE(d.kind, RetryPolicy::Decision::Kind::PauseLane);
        QCOMPARE(msFrom(clock.now(), d.at), qint64(7000));
        QVERIFY(d.reason.contains(QStringLiteral("Retry-After")));
        // Server waits never use up attempts: the same at attempt 50.
        const auto late = policy.decide(50, clock.now(), observed(429, &s), clock.now(), random);
        QCOMPARE(late.kind, RetryPolicy::Decision::Kind::PauseLane);
    }

    void msBeforeNextBeatsRetryAfter()
    {
        FakeClock clock;
        const RetryPolicy policy;
        RetryPolicy::RandomSource random(1);
        const RateSignals s = RateSignalParser::parse(
            429, {{"Retry-After", "5"}}, QByteArray(R"({"errors":[{"data":{"msBeforeNext":1234}}]})"), clock);
        const auto d = policy.decide(1, clock.now(), observed(429, &s), clock.now(), random);
        QCOMPARE(d.kind, RetryPolicy::Decision::Kind::PauseLane);
        QCOMPARE(msFrom(clock.now(), d.at), qint64(1234));
        QVERIFY(d.reason.contains(QStringLiteral("msBeforeNext")));
    }

    void retryAfterOverridesBackoffOnErrors()
    {
        FakeClock clock;
        RetryPolicy::Config config;
        config.baseDelay = 10ms;
        config.maxDelay = 50ms;
        const RetryPolicy policy(config);
        RetryPolicy::RandomSource random(1);
        const RateSignals s = RateSignalParser::parse(503, {{"Retry-After", "4"}}, QByteArray(), clock);
        const auto d = policy.decide(1, clock.now(), observed(503, &s), clock.now(), random);
        QCOMPARE(d.kind, RetryPolicy::Decision::Kind::RetryAt);
        QCOMPARE(msFrom(clock.now(), d.at), qint64(4000));
    }

    void throttleWithoutSignalBacksOff()
    {
        FakeClock clock;
        RetryPolicy::Config config;
        config.baseDelay = 100ms;
        const RetryPolicy policy(config);
        RetryPolicy::RandomSource random(1);
        const auto d = policy.decide(3, clock.now(), observed(429), clock.now(), random);
        QCOMPARE(d.kind, RetryPolicy::Decision::Kind::RetryAt);
        QVERIFY(d.at >= clock.now() && d.at <= clock.now() + 400ms);
    }

    void serverWaitOverTheCapPausesForTheCapAndSaysWhy()
    {
        FakeClock clock;
        const RetryPolicy policy; // cap 300 s
        RetryPolicy::RandomSource random(1);
        const RateSignals s = RateSignalParser::parse(429, {{"Retry-After", "3600"}}, QByteArray(), clock);
        QVERIFY(s.retryAfter);
        const auto d = policy.decide(1, clock.now(), observed(429, &s), clock.now(), random);
        QCOMPARE(d.kind, RetryPolicy::Decision::Kind::PauseLane);
        QCOMPARE(msFrom(clock.now(), d.at), qint64(300000));
        QVERIFY2(d.reason.contains(QStringLiteral("cap")) && d.reason.contains(QStringLiteral("3600")),
                 qPrintable(d.reason));
    }

    void giveUpRules()
    {
        FakeClock clock;
        RetryPolicy::Config config;
        config.maxAttempts = 3;
        config.deadline = 60s;
        const RetryPolicy policy(config);
        RetryPolicy::RandomSource random(1);
        const TimePoint first = clock.now();

        QCOMPARE(policy.decide(2, first, observed(500), clock.now(), random).kind, RetryPolicy::Decision::Kind::RetryAt);
        const auto exhausted = policy.decide(3, first, observed(500), clock.now(), random);
        QCOMPARE(exhausted.kind, RetryPolicy::Decision::Kind::DeadLetter);
        QVERIFY(exhausted.reason.contains(QStringLiteral("3 attempts")));

        const auto permanent = policy.decide(1, first, observed(422), clock.now(), random);
        QCOMPARE(permanent.kind, RetryPolicy::Decision::Kind::DeadLetter);
        QVERIFY(permanent.reason.contains(QStringLiteral("422")));

        QCOMPARE(policy.decide(1, first, observed(413), clock.now(), random).kind,
                 RetryPolicy::Decision::Kind::SplitBatch);
        QCOMPARE(policy.decide(1, first, observed(200), clock.now(), random).kind, RetryPolicy::Decision::Kind::Done);

        // Throttling is never the row's fault: past the deadline and past
        // every attempt, a 429 still only slows the lane.
        clock.advance(59s);
        const RateSignals wait = RateSignalParser::parse(429, {{"Retry-After", "5"}}, QByteArray(), clock);
        const auto late = policy.decide(100, first, observed(429, &wait), clock.now(), random);
        QCOMPARE(late.kind, RetryPolicy::Decision::Kind::PauseLane);
        QCOMPARE(late.at, clock.now() + 5s);
        const auto bare = policy.decide(100, first, observed(429), clock.now(), random);
        QCOMPARE(bare.kind, RetryPolicy::Decision::Kind::RetryAt);
        QCOMPARE(bare.at, clock.now()); // back through the lane's limiters, which learn from it
    }

    void tokenBudgetRunsOutAndRefills()
    {
        FakeClock clock;
        RetryBudget budget; // 500 tokens, 5 per retry, 10 after a timeout
        const RetryPolicy policy;
        RetryPolicy::RandomSource random(1);
        int granted = 0;
        for (int i = 0; i < 200; ++i) {
            const auto d = policy.decide(1, clock.now(), observed(503), clock.now(), random, {}, &budget);
            if (d.kind != RetryPolicy::Decision::Kind::RetryAt) {
                QCOMPARE(d.kind, RetryPolicy::Decision::Kind::DeadLetter);
                QVERIFY(d.reason.contains(QStringLiteral("budget")));
                break;
            }
            QCOMPARE(d.budgetSpent, 5);
            ++granted;
        }
        QCOMPARE(granted, 100);
        QCOMPARE(budget.available(clock.now()), 0.0);
        // A 429 is paced by the limiters, not paid from the budget.
        QCOMPARE(policy.decide(1, clock.now(), observed(429), clock.now(), random, {}, &budget).kind,
                 RetryPolicy::Decision::Kind::RetryAt);

        budget.onSuccess(clock.now(), 5); // a success after a retry refunds its cost
        QCOMPARE(budget.available(clock.now()), 5.0);
        budget.onSuccess(clock.now()); // a first-try success adds one
        QCOMPARE(budget.available(clock.now()), 6.0);
        QCOMPARE(budget.tryAcquireRetry(clock.now()), 5);
        QCOMPARE(budget.tryAcquireRetry(clock.now(), true), 0); // a timeout retry costs 10
        for (int i = 0; i < 1000; ++i)
            budget.onSuccess(clock.now());
        QCOMPARE(budget.available(clock.now()), 500.0); // never above the quota
        QCOMPARE(budget.tryAcquireRetry(clock.now(), true), 10);
    }

    void ratioBudgetAllowsATenthPlusFloor()
    {
        FakeClock clock;
        RetryBudget::Config config;
        config.mode = RetryBudget::Mode::Ratio;
        config.ratio = 0.1;
        config.floor = 3;
        config.ratioWindow = 10s;
        RetryBudget budget(config);
        for (int i = 0; i < 100; ++i)
            budget.onRequest(clock.now());
        int granted = 0;
        while (budget.tryAcquireRetry(clock.now()) > 0)
            ++granted;
        QCOMPARE(granted, 13);
        clock.advance(11s); // the window has passed: the floor is back
        QCOMPARE(budget.available(clock.now()), 3.0);
    }

    void breakerTransitions()
    {
        FakeClock clock;
        CircuitBreaker::Config config;
        config.failureThreshold = 3;
        config.openFor = 5s;
        config.maxOpenFor = 8s;
        CircuitBreaker breaker(config);
        using S = CircuitBreaker::State;
        QCOMPARE(breaker.state(clock.now()), S::Closed);

        breaker.onFailure(clock.now());
        breaker.onFailure(clock.now());
        breaker.onSuccess(clock.now()); // a success breaks the run
        breaker.onFailure(clock.now());
        breaker.onFailure(clock.now());
        QCOMPARE(breaker.state(clock.now()), S::Closed);
        breaker.onFailure(clock.now());
        QCOMPARE(breaker.state(clock.now()), S::Open);
        QVERIFY(!breaker.allowRequest(clock.now()));

        clock.advance(5s);
        QCOMPARE(breaker.state(clock.now()), S::HalfOpen);
        QVERIFY(breaker.allowRequest(clock.now()));  // the probe
        QVERIFY(!breaker.allowRequest(clock.now())); // only one
        breaker.onFailure(clock.now());
        QCOMPARE(breaker.state(clock.now()), S::Open);
        clock.advance(5s);
        QCOMPARE(breaker.state(clock.now()), S::Open); // longer this time (8 s)
        clock.advance(3s);
        QCOMPARE(breaker.state(clock.now()), S::HalfOpen);
        QVERIFY(breaker.allowRequest(clock.now()));
        breaker.onSuccess(clock.now());
        QCOMPARE(breaker.state(clock.now()), S::Closed);
        QVERIFY(breaker.allowRequest(clock.now()));
        QCOMPARE(CircuitBreaker::stateName(S::HalfOpen), QStringLiteral("half-open"));
    }

    void breakerCountsOnlyRealFailures()
    {
        FakeClock clock;
        CircuitBreaker::Config config;
        config.failureThreshold = 2;
        CircuitBreaker breaker(config);
        for (int i = 0; i < 10; ++i) {
            breaker.onResponse(clock.now(), observed(429)); // the server working as designed
            breaker.onResponse(clock.now(), observed(404));
        }
        QCOMPARE(breaker.state(clock.now()), CircuitBreaker::State::Closed);
        ResponseObservation reset = observed(0);
        reset.transportError = true;
        breaker.onResponse(clock.now(), reset);
        breaker.onResponse(clock.now(), observed(502));
        QCOMPARE(breaker.state(clock.now()), CircuitBreaker::State::Open);
    }
    // A lost answer times out long after later requests were answered: such
    // a failure is older news than the success and does not count, and in
    // half-open only the probe's own answer decides.
    void breakerIgnoresFailuresOlderThanASuccess()
    {
        FakeClock clock;
        CircuitBreaker::Config config;
        config.failureThreshold = 3;
        CircuitBreaker breaker(config);
        const TimePoint early = clock.now();
        clock.advance(100ms);
        ResponseObservation ok = observed(200);
        ok.sentAt = clock.now();
        breaker.onResponse(clock.now(), ok);
        clock.advance(2s);
        ResponseObservation lost = observed(0);
        lost.timedOut = true;
        lost.sentAt = early;
        for (int i = 0; i < 5; ++i)
            breaker.onResponse(clock.now(), lost);
        QCOMPARE(breaker.state(clock.now()), CircuitBreaker::State::Closed);
        // Sent after the success: the server stopped answering.
        lost.sentAt = clock.now();
        for (int i = 0; i < 3; ++i)
            breaker.onResponse(clock.now(), lost);
        QCOMPARE(breaker.state(clock.now()), CircuitBreaker::State::Open);
        clock.advanceTo(breaker.openUntil());
        QVERIFY(breaker.allowRequest(clock.now()));
        const TimePoint probe = clock.now();
        clock.advance(10ms);
        breaker.onResponse(clock.now(), lost); // a straggler sent before the probe
        QCOMPARE(breaker.state(clock.now()), CircuitBreaker::State::HalfOpen);
        ok.sentAt = probe;
        breaker.onResponse(clock.now(), ok);
        QCOMPARE(breaker.state(clock.now()), CircuitBreaker::State::Closed);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
