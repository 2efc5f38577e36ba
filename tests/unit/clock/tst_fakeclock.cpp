#include "core/clock/FakeClock.h"
#include "core/clock/SteadyClock.h"

#include <QTest>

using namespace std::chrono_literals;
using headroom::FakeClock;

class TestFakeClock : public QObject
{
    Q_OBJECT
private slots:
    void startsStill()
    {
        FakeClock clock;
        const auto a = clock.now();
        const auto b = clock.now();
        QCOMPARE(a, b);
        QCOMPARE(clock.wallNow(), clock.wallNow());
    }

    void advanceMovesSteadyAndWallTogether()
    {
        FakeClock clock;
        const auto steady0 = clock.now();
        const auto wall0 = clock.wallNow();
        clock.advance(1500ms);
        QCOMPARE(clock.now() - steady0, headroom::Duration(1500ms));
        QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(clock.wallNow() - wall0), 1500ms);
    }

    void advanceToAbsoluteInstant()
    {
        FakeClock clock;
        const auto target = clock.now() + 42s;
        clock.advanceTo(target);
        QCOMPARE(clock.now(), target);
    }

    void refusesToGoBackwards()
    {
        FakeClock clock;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, clock.advance(-1ms));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, clock.advanceTo(clock.now() - 1s));
    }

    void fixedWallEpochForReproducibleDates()
    {
        FakeClock clock;
        QCOMPARE(std::chrono::duration_cast<std::chrono::seconds>(clock.wallNow().time_since_epoch()).count(),
                 1767225600); // 2026-01-01T00:00:00Z
    }

    void headerDateMapsOntoSteadyTimeline()
    {
        FakeClock clock;
        const auto inFive = clock.wallNow() + 5s;
        QCOMPARE(clock.steadyFromWall(inFive) - clock.now(), headroom::Duration(5s));
        clock.advance(2s);
        QCOMPARE(clock.steadyFromWall(inFive) - clock.now(), headroom::Duration(3s));
    }

    void steadyClockIsMonotonic()
    {
        const auto &clock = headroom::SteadyClock::instance();
        const auto a = clock.now();
        const auto b = clock.now();
        QVERIFY(b >= a);
    }
};

QTEST_GUILESS_MAIN(TestFakeClock)
#include "tst_fakeclock.moc"
