#include "core/clock/FakeClock.h"
#include "core/rate/GrantedBudgetLimiter.h"
#include "tests/unit/rate/ZooServer.h"

#include <QTest>

#include <functional>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using namespace headroom::rate;

namespace {

ResponseObservation answer(int status, TimePoint sentAt, Duration latency)
{
    ResponseObservation o;
    o.status = status;
    o.latency = latency;
    o.sentAt = sentAt;
    o.wireAt = sentAt;
    return o;
}

// One GrantedBudgetLimiter alone against a ZooServer, in virtual time: each
// request arrives `uplink` after it left and is answered `latency` after it
// left. `verdict` may overrule the server for one send (arrival jitter the
// model does not have). Without an estimate the configured limit's own
// window governs, as the lane's sliding window does.
struct Drive
{
    FakeClock &clock;
    GrantedBudgetLimiter &limiter;
    ZooServer &server;
    Duration uplink = 2ms;
    Duration latency = 20ms;
    int ceiling = 100;
    int sent = 0;
    int refused = 0;
    std::deque<TimePoint> history = {};

    struct Flight
    {
        TimePoint sentAt;
        int status;
    };

    // Sends as fast as the limiter lets it until `until`, answering in order.
    void until(TimePoint end, const std::function<int(int status, bool probe)> &verdict = {})
    {
        std::deque<Flight> out;
        while (true) {
            TimePoint next = limiter.earliestSend(clock.now());
            if (!limiter.estimate() && qsizetype(history.size()) >= ceiling)
                next = std::max(next, history[history.size() - size_t(ceiling)] + 1s + 1ms);
            const TimePoint answerAt = out.empty() ? TimePoint::max() : out.front().sentAt + latency;
            if (std::min(next, answerAt) >= end)
                break;
            if (answerAt <= next) {
                clock.advanceTo(answerAt);
                limiter.onResponse(clock.now(), answer(out.front().status, out.front().sentAt, latency));
                refused += out.front().status == 429 ? 1 : 0;
                if (out.front().status == 429 && qEnvironmentVariableIsSet("TRACE429"))
                    qInfo("429 sent %.3f estimate %d probing %d", std::chrono::duration<double>(out.front().sentAt.time_since_epoch()).count(),
                          limiter.estimate().value_or(-1), int(limiter.probing()));
                out.pop_front();
                continue;
            }
            clock.advanceTo(next);
            const bool wasOut = limiter.probeOut();
            limiter.onSend(clock.now());
            const bool probe = !wasOut && limiter.probeOut();
            int status = server.arrive(clock.now() + uplink, headroom::WallTime{}).status;
            if (verdict)
                status = verdict(status, probe);
            out.push_back({clock.now(), status});
            history.push_back(clock.now());
            if (history.size() > 4096)
                history.pop_front();
            ++sent;
        }
        for (const Flight &f : out) {
            clock.advanceTo(std::max(clock.now(), f.sentAt + latency));
            limiter.onResponse(clock.now(), answer(f.status, f.sentAt, latency));
            refused += f.status == 429 ? 1 : 0;
        }
    }
};

GrantedBudgetLimiter::Config ceiling(int limit)
{
    GrantedBudgetLimiter::Config config;
    config.ceiling = limit;
    return config;
}

} // namespace

// How the granted budget probes upward, against servers as they behave
// (tests/unit/rate/ZooServer.h), in virtual time.
class TestGrantedBudget : public QObject
{
    Q_OBJECT

private slots:
    // A budget that refused several probes in a row is the server's standing
    // limit: probing it less and less often keeps the 429s of a long run
    // near none, where a probe every two windows would cost one each time.
    void probesAStandingLimitLessOften()
    {
        FakeClock clock;
        ZooServer::Config hidden;
        hidden.limit = 60;
        ZooServer server(hidden);
        GrantedBudgetLimiter limiter(ceiling(100));
        Drive drive{clock, limiter, server};
        drive.until(clock.now() + 5s);
        QCOMPARE(limiter.estimate().value_or(-1), 60);
        const int refusedBefore = drive.refused;
        const int sentBefore = drive.sent;
        drive.until(clock.now() + 120s);
        const int refused = drive.refused - refusedBefore;
        // Two minutes at 60/s: a probe every window would be refused about
        // 120 times; eight a window apart, then the stretch doubling up to
        // 32 windows, about 14.
        QVERIFY2(refused <= 16, qPrintable(QString::number(refused)));
        QVERIFY2(drive.sent - sentBefore >= 0.98 * 60 * 120, qPrintable(QString::number(drive.sent - sentBefore)));
        QCOMPARE(limiter.estimate().value_or(-1), 60);
    }

    // A raise the server let through by arrival jitter and refused a window
    // later is the raise's refusal: the lane keeps the budget it measured,
    // not a share below it as if others spent from the budget.
    void aRefusedRaiseIsNoNeighbour()
    {
        FakeClock clock;
        ZooServer::Config hidden;
        hidden.limit = 50;
        ZooServer server(hidden);
        GrantedBudgetLimiter limiter(ceiling(100));
        Drive drive{clock, limiter, server};
        drive.until(clock.now() + 6s);
        QCOMPARE(limiter.estimate().value_or(-1), 50);
        // The next probe is granted although the server's limit did not move.
        bool granted = false;
        drive.until(clock.now() + 6s, [&granted](int status, bool probe) {
            if (probe && !granted) {
                granted = true;
                return 200;
            }
            return status;
        });
        QVERIFY(granted);
        QVERIFY(!limiter.shared());
        QCOMPARE(limiter.estimate().value_or(-1), 50);
    }

    // A limit that halves and comes back: once probes have raised the lane
    // back to its configured limit, what it measured during the drop is
    // gone, and a later refusal below the limit is measured afresh instead
    // of pulling the pace down to the drop's figures.
    void forgetsADropOnceBackAtTheCeiling()
    {
        FakeClock clock;
        ZooServer::Config halving;
        halving.limit = 100;
        halving.schedule = {{4s, 50}, {10s, 100}};
        ZooServer server(halving);
        GrantedBudgetLimiter limiter(ceiling(100));
        Drive drive{clock, limiter, server};
        drive.until(clock.now() + 8s);
        QCOMPARE(limiter.estimate().value_or(-1), 50);
        const TimePoint back = clock.now() + 20s;
        while (limiter.estimate() && clock.now() < back)
            drive.until(clock.now() + 1s);
        QVERIFY2(!limiter.estimate(), "back at the configured limit within 10 s of the limit's return");
        // An idle second, then a refusal after 90 in a window (a busy
        // server, a neighbour's burst).
        drive.until(clock.now() + 1100ms, [](int, bool) { return 200; });
        clock.advance(1100ms);
        int n = 0;
        drive.until(clock.now() + 2s, [&n](int status, bool) { return ++n == 91 ? 429 : status; });
        QVERIFY2(limiter.estimate().value_or(100) >= 85, qPrintable(QString::number(limiter.estimate().value_or(-1))));
    }

    // Climbing back towards where a raise was last refused, the lane stops
    // one request short of it and goes past it one request at a time: where
    // refused requests count, an overshoot costs a round trip of refusals.
    void climbsSlowlyNearTheLastRefusal()
    {
        FakeClock clock;
        ZooServer::Config rolling;
        rolling.window = ZooServer::Window::RollingCountsRejections;
        rolling.limit = 70;
        ZooServer server(rolling);
        GrantedBudgetLimiter limiter(ceiling(100));
        Drive drive{clock, limiter, server};
        drive.latency = 150ms;
        drive.until(clock.now() + 60s);
        QVERIFY2(limiter.estimate().value_or(-1) >= 66, qPrintable(QString::number(limiter.estimate().value_or(-1))));
        // 429s under 2 % of the requests over the minute.
        QVERIFY2(drive.refused * 50 <= drive.sent, qPrintable(QStringLiteral("%1 of %2").arg(drive.refused).arg(drive.sent)));
    }
};

QTEST_GUILESS_MAIN(TestGrantedBudget)
#include "tst_grantedbudget.moc"
