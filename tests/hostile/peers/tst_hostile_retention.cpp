// What a long run keeps per request (issue 18, item 10): the lane's metrics
// sampler holds the trailing window's latencies only, however many answers
// arrive and whether or not anyone samples. Bounds in entries, not seconds.
#include "core/metrics/MetricsSampler.h"

#include <QtTest>

using namespace headroom;
using namespace std::chrono_literals;

class TestHostileRetention : public QObject
{
    Q_OBJECT

private slots:
    // 1,000,000 answers at 100 a second (almost three hours) with no sample
    // taken: only the last second's answers stay.
    void latenciesStayWithinTheWindowWithoutSampling()
    {
        metrics::MetricsSampler sampler(1s);
        TimePoint now{};
        for (int i = 0; i < 1000000; ++i) {
            now += 10ms;
            sampler.recordLatency(now, 20ms);
        }
        QVERIFY2(sampler.retainedLatencies() <= 100, qPrintable(QString::number(sampler.retainedLatencies())));
        QCOMPARE(sampler.latencyPercentileMs(50), 20.0);
    }

    // A burst faster than the cap can hold within one window: the newest
    // answers are kept, never more than the cap.
    void latenciesAreCappedInABurst()
    {
        metrics::MetricsSampler sampler(1s);
        TimePoint now{};
        for (int i = 0; i < 200000; ++i) {
            now += 1us;
            sampler.recordLatency(now, std::chrono::milliseconds(i < 100000 ? 5 : 50));
        }
        QCOMPARE(sampler.retainedLatencies(), metrics::MetricsSampler::kMaxLatencies);
        QCOMPARE(sampler.latencyPercentileMs(50), 50.0);
    }

    // Sampled at 10 Hz for a long run: samples and latencies both stay bounded.
    void sampledRunStaysBounded()
    {
        metrics::MetricsSampler sampler(1s);
        metrics::LaneCounters counters;
        TimePoint now{};
        for (int tick = 0; tick < 100000; ++tick) {
            for (int i = 0; i < 10; ++i) {
                now += 10ms;
                ++counters.requestsSent;
                sampler.recordLatency(now, 15ms);
            }
            sampler.addSample(now, counters);
        }
        QVERIFY(sampler.retainedSamples() <= 12);
        QVERIFY(sampler.retainedLatencies() <= 100);
        QCOMPARE(sampler.sentPerS(), 100.0);
    }
};

QTEST_GUILESS_MAIN(TestHostileRetention)
#include "tst_hostile_retention.moc"
