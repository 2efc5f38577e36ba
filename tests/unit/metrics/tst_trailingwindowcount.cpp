#include "core/clock/FakeClock.h"
#include "core/metrics/TrailingWindowCount.h"

#include <QRegularExpression>
#include <QTest>

using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using headroom::metrics::TrailingWindowCount;
using namespace std::chrono_literals;

namespace {
// "t:n" events (n at t ms, n defaults to 1) and "t=n" checks (count n at t ms),
// in time order; "t~w" sets the window to w ms at t ms.
struct Step
{
    qint64 atMs = 0;
    char kind = ':';
    qint64 value = 1;
};

QList<Step> parseSteps(const QString &text)
{
    QList<Step> steps;
    for (const QString &token : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        Step step;
        const qsizetype at = token.indexOf(QRegularExpression(QStringLiteral("[:=~]")));
        step.atMs = (at < 0 ? token : token.left(at)).toLongLong();
        if (at >= 0) {
            step.kind = token.at(at).toLatin1();
            step.value = token.mid(at + 1).isEmpty() ? 1 : token.mid(at + 1).toLongLong();
        }
        steps << step;
    }
    return steps;
}
} // namespace

class TestTrailingWindowCount : public QObject
{
    Q_OBJECT
private slots:
    void counts_data()
    {
        QTest::addColumn<int>("windowMs");
        QTest::addColumn<QString>("steps");

        // 100 at the end of one window and 100 at the start of the next, 1.1 s
        // apart in all: a rate from counter differences over a 1.1 s span read
        // 180/s here; no exact 1 s window holds more than 100.
        QTest::newRow("bursts at window edges") << 1000 << "950:100 1000=100 1900=100 1949=100 1950:100 1950=100 "
                                                           "2000=100 2949=100 2950=0";
        // (now - window, now]: an event exactly one window old is out.
        QTest::newRow("edges are half-open") << 1000 << "0:5 0=5 999=5 1000=0";
        QTest::newRow("idle gap reads zero, then counts anew")
            << 1000 << "0:30 500:30 1499=30 1500=0 5000=0 9000:7 9000=7 9999=7 10000=0";
        QTest::newRow("steady 10 per 100 ms") << 1000 << "0:10 100:10 200:10 300:10 400:10 500:10 600:10 700:10 800:10 "
                                                         "900:10 900=100 1000:10 1000=100 1050=100 1150=90";
        // Shorter: only the new window's events. Longer: those kept from the
        // longest window so far count at once.
        QTest::newRow("window shrinks") << 2000 << "0:50 1500:50 1600=100 1600~1000 1600=50 2600=0";
        QTest::newRow("window grows after shrinking")
            << 2000 << "0~500 0:20 400:20 800=20 800~2000 800=40 1999=40 2000=20 2400=0";
        QTest::newRow("ten-second window") << 10000 << "0:100 9000:100 9999=200 10000=100 19000=0";
    }
    void counts()
    {
        QFETCH(int, windowMs);
        QFETCH(QString, steps);
        FakeClock clock;
        const TimePoint start = clock.now();
        TrailingWindowCount count{std::chrono::milliseconds(windowMs)};
        for (const Step &step : parseSteps(steps)) {
            const TimePoint at = start + std::chrono::milliseconds(step.atMs);
            clock.advance(std::max(Duration::zero(), Duration(at - clock.now())));
            if (step.kind == ':') {
                count.add(at, step.value);
            } else if (step.kind == '~') {
                count.setWindow(std::chrono::milliseconds(step.value));
            } else {
                count.prune(clock.now());
                QVERIFY2(count.count(clock.now()) == step.value,
                         qPrintable(QStringLiteral("at %1 ms: %2, expected %3")
                                        .arg(step.atMs)
                                        .arg(count.count(clock.now()))
                                        .arg(step.value)));
            }
        }
    }

    // Requests the limit allows (100 in any 1 s, sent as fast as allowed, in
    // bursts) sampled at 10 Hz with jitter: no sample shows more than the limit.
    void neverAboveWhatAWindowHeld()
    {
        FakeClock clock;
        TrailingWindowCount count(1s);
        std::deque<TimePoint> sends;
        qint64 maxSeen = 0;
        for (int tick = 0; tick < 20000; ++tick) { // 20 s in 1 ms steps
            const TimePoint now = clock.now();
            while (!sends.empty() && sends.front() <= now - 1s)
                sends.pop_front();
            if (sends.size() < 100 && (tick % 1000) > 900) { // bursts near each window's end
                sends.push_back(now);
                count.add(now);
            }
            if (tick % 97 == 0) {
                count.prune(now);
                maxSeen = std::max(maxSeen, count.count(now));
                QVERIFY(count.perSecond(now) <= 100.0);
            }
            clock.advance(1ms);
        }
        QVERIFY2(maxSeen >= 90, "the bursts are seen at all");
    }

    // A send recorded when handed over and moved to its wire time counts once.
    void moveKeepsOneEvent()
    {
        FakeClock clock;
        const TimePoint t0 = clock.now();
        TrailingWindowCount count(1s);
        count.add(t0);
        count.add(t0);
        count.move(t0, t0 + 30ms);
        QCOMPARE(count.count(t0 + 30ms), 2);
        QCOMPARE(count.count(t0 + 1010ms), 1); // the moved one is still inside
        count.move(t0 + 5s, t0 + 6s);          // unknown: ignored
        QCOMPARE(count.retained(), size_t(2));
    }

    // Known late (an answer), counted at the earlier instant it happened.
    void outOfOrderEvents()
    {
        FakeClock clock;
        const TimePoint t0 = clock.now();
        TrailingWindowCount count(1s);
        count.add(t0 + 500ms);
        count.add(t0 + 100ms);
        count.add(t0 + 300ms, 2);
        QCOMPARE(count.count(t0 + 1050ms), 4);
        QCOMPARE(count.count(t0 + 1150ms), 3);
        QCOMPARE(count.count(t0 + 1350ms), 1);
    }

    void retentionIsBounded()
    {
        FakeClock clock;
        TrailingWindowCount count(std::chrono::hours(1));
        for (size_t i = 0; i < TrailingWindowCount::kMaxEvents + 10; ++i)
            count.add(clock.now());
        QCOMPARE(count.retained(), TrailingWindowCount::kMaxEvents);
        count.prune(clock.now() + std::chrono::hours(2));
        QCOMPARE(count.retained(), size_t(0));
    }
};

QTEST_APPLESS_MAIN(TestTrailingWindowCount)
#include "tst_trailingwindowcount.moc"
