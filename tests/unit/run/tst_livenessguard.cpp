// LivenessGuard: when a lane idle with work has waited past every wait it was
// given, in virtual time.
#include "core/clock/FakeClock.h"
#include "core/rate/RateSignalParser.h"
#include "core/run/Lane.h"
#include "core/run/LivenessGuard.h"

#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {
run::LaneConfig config()
{
    run::LaneConfig c;
    c.name = QStringLiteral("test");
    c.limit = 10;
    c.window = 1s;
    c.concurrency = 100;
    c.followHeaders = false;
    c.randomSeed = 1;
    return c;
}
} // namespace

class TestLivenessGuard : public QObject
{
    Q_OBJECT
private slots:
    // Quiet since t0 with work waiting: the guard may send one window (and
    // the arrival margin) plus the grace later, or later still when the
    // server asked for more; never while a request is out or without work.
    void dueAfterEveryJustifiedWait_data()
    {
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<int>("dueMs");
        QTest::newRow("nothing told") << QByteArray() << 2005;
        QTest::newRow("Retry-After 5") << QByteArray("5") << 6000;
    }
    void dueAfterEveryJustifiedWait()
    {
        QFETCH(QByteArray, retryAfter);
        QFETCH(int, dueMs);
        FakeClock clock;
        run::Lane lane(config(), clock.now());
        const TimePoint t0 = clock.now();
        TimePoint told{};
        if (!retryAfter.isEmpty()) {
            const rate::RateSignals s = rate::RateSignalParser::parse(429, {{"Retry-After", retryAfter}}, {}, clock);
            told = run::LivenessGuard::toldUntil(told, s, rate::RetryPolicy::Decision{}, t0);
        }
        QCOMPARE(run::LivenessGuard::dueAt(lane, t0, t0, told, t0), t0 + std::chrono::milliseconds(dueMs));
        QCOMPARE(run::LivenessGuard::dueAt(lane, TimePoint::max(), t0, told, t0), TimePoint::max());
        run::Job j;
        lane.onSend(t0, j);
        QCOMPARE(run::LivenessGuard::dueAt(lane, t0, t0, told, t0), TimePoint::max());
    }

    void noticeNamesTheRule()
    {
        FakeClock clock;
        rate::LimiterStack::Binding binding{clock.now() + 3600s, QStringLiteral("stuck"), QString()};
        const QString text = run::LivenessGuard::noticeText(binding, 2s, clock.now());
        QVERIFY2(text.contains(QStringLiteral("stuck held the lane for 3600.0 s more after 2.0 s idle")), qPrintable(text));
    }

    void laterNeverOverflows()
    {
        QCOMPARE(run::LivenessGuard::later(TimePoint::max() - 1s, 1h), TimePoint::max());
    }
};

QTEST_GUILESS_MAIN(TestLivenessGuard)
#include "tst_livenessguard.moc"
