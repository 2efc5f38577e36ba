#include "core/clock/FakeClock.h"
#include "core/metrics/MetricsSampler.h"

#include <QTest>

using headroom::FakeClock;
using headroom::metrics::LaneCounters;
using headroom::metrics::MetricsSampler;
using namespace std::chrono_literals;

class TestMetricsSampler : public QObject
{
    Q_OBJECT
private slots:
    void ratesOverTrailingSecond()
    {
        FakeClock clock;
        MetricsSampler sampler;
        LaneCounters c;
        // 10 Hz sampling, 100 sends/s, 95 done/s, 3 throttled per second.
        for (int i = 0; i <= 30; ++i) {
            c.requestsSent = i * 10;
            c.callsDone = i * 95 / 10;
            c.rowsDone = c.callsDone * 2;
            c.responses429 = i * 3 / 10;
            sampler.addSample(clock.now(), c);
            clock.advance(100ms);
        }
        QCOMPARE(sampler.sentPerS(), 100.0);
        QVERIFY(qAbs(sampler.donePerS() - 95.0) <= 1.0);
        QVERIFY(qAbs(sampler.rowsPerS() - 190.0) <= 2.0);
        QVERIFY(qAbs(sampler.throttledPerS() - 3.0) <= 1.0);
    }

    void rateFollowsAChangeWithinTheWindow()
    {
        FakeClock clock;
        MetricsSampler sampler;
        LaneCounters c;
        for (int i = 0; i <= 20; ++i) {
            c.requestsSent += (i <= 10 ? 10 : 0); // sending stops after 1 s
            sampler.addSample(clock.now(), c);
            clock.advance(100ms);
        }
        QCOMPARE(sampler.sentPerS(), 0.0);
    }

    // The first second of a run: a burst of a whole window's limit in half a
    // second is 100 per trailing second, not 200/s.
    void aBurstAtTheStartReadsOverTheWholeWindow()
    {
        FakeClock clock;
        MetricsSampler sampler;
        LaneCounters c;
        sampler.addSample(clock.now(), c);
        clock.advance(500ms);
        c.requestsSent = 100;
        sampler.addSample(clock.now(), c);
        QCOMPARE(sampler.sentPerS(), 100.0);
    }

    void noRateFromOneSample()
    {
        FakeClock clock;
        MetricsSampler sampler;
        sampler.addSample(clock.now(), LaneCounters{});
        QCOMPARE(sampler.sentPerS(), 0.0);
        QCOMPARE(sampler.latencyPercentileMs(95), 0.0);
    }

    void latencyPercentiles()
    {
        FakeClock clock;
        MetricsSampler sampler;
        for (int ms = 1; ms <= 100; ++ms)
            sampler.recordLatency(clock.now(), std::chrono::milliseconds(ms));
        QCOMPARE(sampler.latencyPercentileMs(50), 50.0);
        QCOMPARE(sampler.latencyPercentileMs(95), 95.0);
        QCOMPARE(sampler.latencyPercentileMs(100), 100.0);
        // Older than the window: forgotten at the next sample.
        clock.advance(2s);
        sampler.recordLatency(clock.now(), 7ms);
        sampler.addSample(clock.now(), LaneCounters{});
        QCOMPARE(sampler.latencyPercentileMs(50), 7.0);
    }
};

QTEST_GUILESS_MAIN(TestMetricsSampler)
#include "tst_metricssampler.moc"
