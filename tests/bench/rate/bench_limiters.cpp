// Cost of one limiter decision: earliestSend(now) and, when it says go,
// onSend(now) — what the dispatcher pays for every request. Also the stack of a
// typical lane and the header parse of one response. Prints ns per decision.
//
// Run: bench_limiters            (QBENCHMARK figures + "ns/decision" lines)
#include "core/clock/FakeClock.h"
#include "core/rate/GrantedBudgetLimiter.h"
#include "core/rate/ConcurrencyLimit.h"
#include "core/rate/GcraLimiter.h"
#include "core/rate/HeaderPacer.h"
#include "core/rate/LimiterStack.h"
#include "core/rate/RateSignalParser.h"
#include "core/rate/SlidingWindowLimiter.h"

#include <QTest>

#include <chrono>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using namespace headroom::rate;

namespace {

constexpr int kDecisions = 1000;

// Virtual time moves 1 ms per decision, a lane at 1,000 req/s; a response
// follows each send so in-flight bookkeeping stays realistic.
void drive(Limiter &limiter, TimePoint &now, const ResponseObservation &answer)
{
    for (int i = 0; i < kDecisions; ++i) {
        const TimePoint at = limiter.earliestSend(now);
        if (at <= now) {
            limiter.onSend(now);
            limiter.onResponse(now, answer);
        }
        now += 1ms;
    }
}

void report(const char *what, Limiter &limiter, const ResponseObservation &answer)
{
    TimePoint now = FakeClock().now();
    const int rounds = 2000;
    drive(limiter, now, answer); // warm up
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r)
        drive(limiter, now, answer);
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    qInfo("%-28s %7.1f ns/decision (earliestSend + onSend + onResponse)", what, ns / (double(rounds) * kDecisions));
}

} // namespace

class BenchLimiters : public QObject
{
    Q_OBJECT
private:
    ResponseObservation m_answer;
    RateSignals m_signals;

private slots:
    void initTestCase()
    {
        FakeClock clock;
        m_signals = RateSignalParser::parse(
            200, {{"X-RateLimit-Limit", "1000000"}, {"X-RateLimit-Remaining", "999999"}, {"X-RateLimit-Reset", "60"}},
            QByteArray(), clock);
        m_answer.status = 200;
        m_answer.latency = 0ms;
    }

    void slidingWindow()
    {
        SlidingWindowLimiter limiter(100, 1s, 5ms);
        TimePoint now = FakeClock().now();
        QBENCHMARK {
            drive(limiter, now, m_answer);
        }
    }

    void gcra()
    {
        GcraLimiter limiter(100.0, 10);
        TimePoint now = FakeClock().now();
        QBENCHMARK {
            drive(limiter, now, m_answer);
        }
    }

    void concurrency()
    {
        ConcurrencyLimit limiter(32);
        TimePoint now = FakeClock().now();
        QBENCHMARK {
            drive(limiter, now, m_answer);
        }
    }

    void headerPacer()
    {
        ResponseObservation withHeaders = m_answer;
        withHeaders.rateSignals = &m_signals;
        HeaderPacer limiter;
        TimePoint now = FakeClock().now();
        QBENCHMARK {
            drive(limiter, now, withHeaders);
        }
    }

    void grantedBudget()
    {
        GrantedBudgetLimiter limiter;
        TimePoint now = FakeClock().now();
        QBENCHMARK {
            drive(limiter, now, m_answer);
        }
    }

    void laneStack()
    {
        ResponseObservation withHeaders = m_answer;
        withHeaders.rateSignals = &m_signals;
        auto makeLane = [] {
            auto lane = std::make_unique<LimiterStack>();
            lane->add(std::make_unique<SlidingWindowLimiter>(100, 1s, 5ms));
            lane->add(std::make_unique<HeaderPacer>());
            lane->add(std::make_unique<GrantedBudgetLimiter>());
            lane->add(std::make_unique<ConcurrencyLimit>(32));
            return lane;
        };
        auto lane = makeLane();
        TimePoint now = FakeClock().now();
        QBENCHMARK {
            drive(*lane, now, withHeaders);
        }
    }

    void parseSegmentResponse()
    {
        FakeClock clock;
        const RateSignalParser::HeaderList headers{
            {"Content-Type", "application/json"},
            {"X-RateLimit-Consumed", "3"},
            {"X-RateLimit-Remaining", "27"},
            {"X-RateLimit-Reset", "Thu, 01 Jan 2026 00:00:10 GMT"}};
        const QByteArray body(R"({"data":{"id":"abc"}})");
        QBENCHMARK {
            RateSignalParser::parse(200, headers, body, clock);
        }
    }

    // QBENCHMARK reruns a slot to calibrate, so the one-line figures are here.
    void summary()
    {
        ResponseObservation withHeaders = m_answer;
        withHeaders.rateSignals = &m_signals;
        SlidingWindowLimiter sliding(100, 1s, 5ms);
        report("SlidingWindowLimiter", sliding, m_answer);
        GcraLimiter gcra(100.0, 10);
        report("GcraLimiter", gcra, m_answer);
        ConcurrencyLimit concurrency(32);
        report("ConcurrencyLimit", concurrency, m_answer);
        HeaderPacer pacer;
        report("HeaderPacer (with headers)", pacer, withHeaders);
        GrantedBudgetLimiter granted;
        report("GrantedBudgetLimiter", granted, m_answer);
        LimiterStack lane;
        lane.add(std::make_unique<SlidingWindowLimiter>(100, 1s, 5ms));
        lane.add(std::make_unique<HeaderPacer>());
        lane.add(std::make_unique<GrantedBudgetLimiter>());
        lane.add(std::make_unique<ConcurrencyLimit>(32));
        report("LimiterStack (4 limiters)", lane, withHeaders);

        FakeClock clock;
        const RateSignalParser::HeaderList headers{
            {"Content-Type", "application/json"},
            {"X-RateLimit-Consumed", "3"},
            {"X-RateLimit-Remaining", "27"},
            {"X-RateLimit-Reset", "Thu, 01 Jan 2026 00:00:10 GMT"}};
        const QByteArray body(R"({"data":{"id":"abc"}})");
        const auto start = std::chrono::steady_clock::now();
        const int n = 200000;
        for (int i = 0; i < n; ++i)
            RateSignalParser::parse(200, headers, body, clock);
        const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
        qInfo("%-28s %7.1f ns/response", "RateSignalParser (Segment)", ns / n);
    }
};

QTEST_GUILESS_MAIN(BenchLimiters)
#include "bench_limiters.moc"
