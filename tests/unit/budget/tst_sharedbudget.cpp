// SharedBudgetLimiter in virtual time: three processes drawing from one model
// of the GCRA script stay within the limit in every window and use >= 95 % of
// it; Redis going away switches each to its share; coming back does not burst.
#include "core/budget/RedisUrl.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/clock/FakeClock.h"
#include "core/rate/RateSignals.h"

#include <QRandomGenerator>
#include <QTest>

#include <deque>
#include <memory>
#include <vector>

using namespace headroom;
using namespace headroom::budget;
using namespace std::chrono_literals;

namespace {

// The Lua script's arithmetic, in C++, on a server clock equal to ours.
struct ScriptModel
{
    qint64 limit = 100;
    qint64 periodUs = 1'000'000;
    double tat = 0;
    qint64 granted = 0;
    qint64 processes = 3;

    Reservation reserve(TimePoint now, int wanted, qint64 marginUs)
    {
        const double nowUs = double(std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count());
        const double spacing = double(periodUs + marginUs) / double(limit);
        if (tat < nowUs)
            tat = nowUs;
        Reservation r;
        r.serverNowUs = qint64(nowUs);
        r.limit = limit;
        r.periodUs = periodUs;
        r.processes = processes;
        for (int i = 0; i < wanted; ++i) {
            r.offsetsUs << qint64(tat - nowUs);
            tat += spacing;
        }
        granted += wanted;
        r.grantedTotal = granted;
        return r;
    }
};

SharedBudgetConfig config(int limit = 100)
{
    SharedBudgetConfig c;
    c.limit = limit;
    c.period = 1s;
    c.jitter = 10ms;
    return c;
}

// The most sends in any window of `window` (closed on the right, as a
// sliding-window server counts).
int maxInWindow(std::vector<TimePoint> sends, Duration window)
{
    std::sort(sends.begin(), sends.end());
    int best = 0;
    size_t first = 0;
    for (size_t i = 0; i < sends.size(); ++i) {
        while (sends[i] - sends[first] >= window)
            ++first;
        best = std::max(best, int(i - first + 1));
    }
    return best;
}

struct Process
{
    std::unique_ptr<SharedBudgetLimiter> limiter;
    bool wantsSlots = false;
};

} // namespace

class TestSharedBudget : public QObject
{
    Q_OBJECT

    // Runs `processes` limiters for `duration` in 1 ms steps; each sends as
    // soon as its limiter allows, landing up to `jitter` late at the server.
    // `redisUp(t)` says whether the script answers at t.
    std::vector<TimePoint> simulate(FakeClock &clock, std::vector<Process> &ps, ScriptModel &script, Duration duration,
                                    Duration jitter, const std::function<bool(Duration)> &redisUp)
    {
        std::vector<TimePoint> arrivals;
        QRandomGenerator random(7);
        const TimePoint start = clock.now();
        const qint64 marginUs = std::chrono::duration_cast<std::chrono::microseconds>(2 * ps[0].limiter->config().jitter).count();
        while (clock.now() - start < duration) {
            const TimePoint now = clock.now();
            const bool up = redisUp(now - start);
            for (Process &p : ps) {
                SharedBudgetLimiter &l = *p.limiter;
                p.wantsSlots = false;
                if (l.earliestSend(now) <= now) {
                    l.onSend(now);
                    arrivals.push_back(now + Duration(qint64(random.bounded(double(jitter.count())))));
                }
                l.earliestSend(now); // asks for more when low
                if (p.wantsSlots || l.mode() != SharedBudgetLimiter::Mode::Shared) {
                    if (up)
                        l.onReservation(now, now, script.reserve(now, l.slotsWanted(now), marginUs));
                    else
                        l.onUnavailable(now);
                }
            }
            clock.advance(1ms);
        }
        return arrivals;
    }

    std::vector<Process> processes(int n, int limit = 100)
    {
        std::vector<Process> ps(static_cast<size_t>(n));
        for (Process &p : ps) {
            p.limiter = std::make_unique<SharedBudgetLimiter>(config(limit));
            Process *self = &p;
            p.limiter->setDemandHandler([self] { self->wantsSlots = true; });
        }
        return ps;
    }

private slots:
    void threeProcessesShareOneLimit()
    {
        FakeClock clock;
        ScriptModel script;
        auto ps = processes(3);
        const auto arrivals = simulate(clock, ps, script, 20s, 10ms, [](Duration) { return true; });
        QVERIFY2(maxInWindow(arrivals, 1s) <= 100, qPrintable(QString::number(maxInWindow(arrivals, 1s))));
        const double efficiency = double(arrivals.size()) / (20.0 * 100.0);
        QVERIFY2(efficiency >= 0.95, qPrintable(QString::number(efficiency)));
        QCOMPARE(ps[0].limiter->mode(), SharedBudgetLimiter::Mode::Shared);
        QCOMPARE(ps[0].limiter->processesSeen(), 3);
        QVERIFY(ps[0].limiter->budgetUsePerS(clock.now()) > 90);
    }

    void answersLocallyFromTheSlotsInHand()
    {
        FakeClock clock;
        ScriptModel script;
        SharedBudgetLimiter l(config());
        int asked = 0;
        l.setDemandHandler([&] { ++asked; });
        const TimePoint now = clock.now();
        QCOMPARE(l.mode(), SharedBudgetLimiter::Mode::Connecting);
        QVERIFY(l.earliestSend(now) > now); // nothing granted yet
        QCOMPARE(asked, 1);
        QCOMPARE(l.slotsWanted(now), l.prefetch());
        l.onReservation(now, now, script.reserve(now, l.slotsWanted(now), 20'000));
        QCOMPARE(l.mode(), SharedBudgetLimiter::Mode::Shared);
        QCOMPARE(l.earliestSend(now), now);
        l.onSend(now);
        // The second slot is one spacing later: (1 s + 20 ms) / 100.
        QCOMPARE(l.earliestSend(now), now + 10200us);
        QCOMPARE(l.slotsWanted(now), 1);
        // Sampling is not demand.
        const int before = asked;
        l.setQuiet(true);
        l.earliestSend(now);
        l.setQuiet(false);
        QCOMPARE(asked, before);
    }

    void aSlotMissedByMoreThanTheJitterIsGivenUp()
    {
        FakeClock clock;
        ScriptModel script;
        SharedBudgetLimiter l(config());
        const TimePoint now = clock.now();
        l.onReservation(now, now, script.reserve(now, 2, 20'000));
        QCOMPARE(l.grantsInHand(now), 2);
        clock.advance(25ms); // first slot (now) is 25 ms old; the second (now+10.2 ms) 14.8 ms old
        QCOMPARE(l.grantsInHand(clock.now()), 0);
        QVERIFY(l.earliestSend(clock.now()) > clock.now());
    }

    void redisAwayMeansEachProcessKeepsToItsShare()
    {
        FakeClock clock;
        ScriptModel script;
        auto ps = processes(3);
        // Up for 5 s, away for 10 s, back for 5 s.
        const auto arrivals = simulate(clock, ps, script, 20s, 10ms, [](Duration t) { return t < 5s || t >= 15s; });
        QVERIFY2(maxInWindow(arrivals, 1s) <= 100, qPrintable(QString::number(maxInWindow(arrivals, 1s))));
        QCOMPARE(ps[0].limiter->mode(), SharedBudgetLimiter::Mode::Shared);
        // Away, each sent ⌊100 ÷ 3⌋ = 33 per window: about 0.99 of the limit together.
        const double efficiency = double(arrivals.size()) / (20.0 * 100.0);
        QVERIFY2(efficiency >= 0.9, qPrintable(QString::number(efficiency)));
    }

    void fallbackShareFromTheUrlOrTheProcessCount()
    {
        FakeClock clock;
        ScriptModel script;
        SharedBudgetLimiter l(config());
        l.onReservation(clock.now(), clock.now(), script.reserve(clock.now(), 1, 0));
        l.onUnavailable(clock.now());
        QCOMPARE(l.mode(), SharedBudgetLimiter::Mode::Fallback);
        QCOMPARE(l.fallbackLimit(), 33);
        SharedBudgetConfig half = config();
        half.fallbackShare = 0.5;
        SharedBudgetLimiter h(half);
        h.onUnavailable(clock.now());
        QCOMPARE(h.fallbackLimit(), 50);
        // Never heard of other processes: the whole limit is ours.
        SharedBudgetLimiter alone(config());
        alone.onUnavailable(clock.now());
        QCOMPARE(alone.fallbackLimit(), 100);
    }

    void aRestartedRedisDoesNotShrinkTheProcessCountAtOnce()
    {
        FakeClock clock;
        ScriptModel script;
        SharedBudgetLimiter l(config());
        l.onReservation(clock.now(), clock.now(), script.reserve(clock.now(), 1, 0));
        QCOMPARE(l.processesSeen(), 3);
        script.processes = 1; // Redis restarted and has heard of us only
        clock.advance(2s);
        l.onReservation(clock.now(), clock.now(), script.reserve(clock.now(), 1, 0));
        QCOMPARE(l.processesSeen(), 3);
        l.onUnavailable(clock.now());
        QCOMPARE(l.fallbackLimit(), 33);
        clock.advance(11s);
        l.onReservation(clock.now(), clock.now(), script.reserve(clock.now(), 1, 0));
        QCOMPARE(l.processesSeen(), 1);
    }

    void switchingToTheFallbackDoesNotBurst()
    {
        FakeClock clock;
        ScriptModel script;
        script.processes = 1;
        auto ps = processes(1);
        std::vector<TimePoint> sends;
        // 1 s shared at full speed, then away: the fallback window remembers.
        const auto arrivals = simulate(clock, ps, script, 3s, 0ms, [](Duration t) { return t < 1s; });
        QVERIFY2(maxInWindow(arrivals, 1s) <= 100, qPrintable(QString::number(maxInWindow(arrivals, 1s))));
    }

    void aHeaderLearnedLimitIsPublishedOnce()
    {
        FakeClock clock;
        SharedBudgetLimiter l(config());
        rate::RateSignals s;
        s.limit = 80;
        rate::ResponseObservation o;
        o.status = 200;
        o.rateSignals = &s;
        l.onResponse(clock.now(), o);
        auto publish = l.takePublish();
        QVERIFY(publish);
        QCOMPARE(publish->first, 80);
        QCOMPARE(publish->second, 1'000'000);
        l.onResponse(clock.now(), o);
        QVERIFY(!l.takePublish());
        // The script answers with the published limit: spacing follows it.
        ScriptModel script;
        script.limit = 80;
        l.onReservation(clock.now(), clock.now(), script.reserve(clock.now(), 2, 0));
        QCOMPARE(l.limit(), 80);
        l.onSend(clock.now());
        QCOMPARE(l.earliestSend(clock.now()), clock.now() + 12500us);
    }

    void urlParsesAndRedacts()
    {
        QString error;
        auto url = RedisUrl::parse(QStringLiteral("redis://:s3cret@127.0.0.1:6380/2?key=cio-track-site1&share=0.25"), &error);
        QVERIFY2(url, qPrintable(error));
        QCOMPARE(url->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(url->port, 6380);
        QCOMPARE(url->database, 2);
        QCOMPARE(url->key, QStringLiteral("cio-track-site1"));
        QCOMPARE(url->password, QStringLiteral("s3cret"));
        QCOMPARE(url->fallbackShare, 0.25);
        QVERIFY(!url->redacted().contains(QStringLiteral("s3cret")));
        QCOMPARE(url->redacted(), QStringLiteral("redis://:***@127.0.0.1:6380/2?key=cio-track-site1&share=0.25"));
        QCOMPARE(url->budgetKey(), QByteArray("headroom:budget:{cio-track-site1}"));
        QVERIFY(!RedisUrl::parse(QStringLiteral("redis://127.0.0.1:6379/0"), &error)); // no key
        QVERIFY(error.contains(QStringLiteral("key=")));
        QVERIFY(!RedisUrl::parse(QStringLiteral("http://127.0.0.1/?key=a"), &error));
        QVERIFY(!RedisUrl::parse(QStringLiteral("redis://:pw@h/0?key=a b"), &error));
        QVERIFY(!error.contains(QStringLiteral("pw")));
        auto plain = RedisUrl::parse(QStringLiteral("redis://localhost?key=k"), &error);
        QVERIFY(plain);
        QCOMPARE(plain->port, 6379);
        QCOMPARE(plain->database, 0);
    }
};

QTEST_GUILESS_MAIN(TestSharedBudget)
#include "tst_sharedbudget.moc"
