#include "core/clock/FakeClock.h"
#include "core/rate/ConcurrencyLimit.h"
#include "core/rate/HeaderPacer.h"
#include "core/rate/LimiterStack.h"
#include "core/rate/RateSignalParser.h"
#include "core/rate/RetryPolicy.h"

#include <QDateTime>
#include <QLocale>
#include <QTest>

#include <deque>
#include <map>
#include <queue>
#include <random>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using headroom::WallTime;
using namespace headroom::rate;

namespace {

// A fixed-window server as rate-limiter-flexible's MemoryStorage keeps it:
// a record opens at the first consume after the previous one expired and
// lives while `expiresAt - now > 0`; every consume, refused or not, adds a
// point; msBeforeNext is `expiresAt - now`. Headers as Segment's Public API
// writes them: X-RateLimit-Remaining, X-RateLimit-Reset as
// `new Date(now + msBeforeNext).toUTCString()` (the milliseconds truncated),
// and perhaps X-RateLimit-Consumed. Variants: dates rounded up instead, and
// windows aligned to the wall clock instead of opened by a request.
class FlexibleServer
{
public:
    struct Config
    {
        int limit = 30;
        Duration window = 10s;
        bool anchored = true; // else: windows at multiples of `window` on the wall clock
        bool roundUp = false; // reset dates rounded up instead of truncated
        bool consumed = true; // X-RateLimit-Consumed present
    };
    struct Reply
    {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
    };

    explicit FlexibleServer(Config config)
        : m_config(config)
    {
    }

    Reply consume(TimePoint now, WallTime wallNow)
    {
        if (m_config.anchored) {
            if (!m_open || m_expiresAt - now <= Duration::zero()) {
                m_open = true;
                m_expiresAt = now + m_config.window;
                m_value = 0;
            }
        } else {
            const Duration sinceEpoch = std::chrono::duration_cast<Duration>(wallNow.time_since_epoch());
            const Duration end = (sinceEpoch / m_config.window + 1) * m_config.window;
            const TimePoint expiresAt = now + (end - sinceEpoch);
            if (!m_open || expiresAt != m_expiresAt) {
                m_open = true;
                m_expiresAt = expiresAt;
                m_value = 0;
            }
        }
        ++m_value;
        const Duration msBeforeNext = m_expiresAt - now;
        const WallTime resetWall = wallNow + std::chrono::duration_cast<WallTime::duration>(msBeforeNext);
        qint64 resetSeconds = std::chrono::duration_cast<std::chrono::seconds>(resetWall.time_since_epoch()).count();
        if (m_config.roundUp && WallTime(std::chrono::seconds(resetSeconds)) < resetWall)
            ++resetSeconds;
        const QString date = QLocale::c().toString(QDateTime::fromSecsSinceEpoch(resetSeconds, Qt::UTC),
                                                   QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
        m_lastResetAt = now + std::chrono::duration_cast<Duration>(WallTime(std::chrono::seconds(resetSeconds)) - wallNow);
        Reply reply;
        reply.headers = {{"X-RateLimit-Remaining", QByteArray::number(std::max(0, m_config.limit - m_value))},
                         {"X-RateLimit-Reset", date.toLatin1()}};
        if (m_config.consumed)
            reply.headers.append({"X-RateLimit-Consumed", QByteArray::number(m_value)});
        reply.status = m_value <= m_config.limit ? 200 : 429;
        if (reply.status == 429)
            m_rejectedIn[m_expiresAt] += 1;
        return reply;
    }

    int most429InAWindow() const
    {
        int most = 0;
        for (const auto &[end, count] : m_rejectedIn)
            most = std::max(most, count);
        return most;
    }
    // The reset date of the last answer, on the steady timeline.
    TimePoint lastResetAt() const { return m_lastResetAt; }
    // The instant the current window ends, or `now` when none is open.
    TimePoint windowEnd(TimePoint now) const { return m_open && m_expiresAt > now ? m_expiresAt : now; }

private:
    Config m_config;
    bool m_open = false;
    TimePoint m_expiresAt{};
    int m_value = 0;
    std::map<TimePoint, int> m_rejectedIn;
    TimePoint m_lastResetAt{};
};

// A lane as the dispatcher drives it: it asks the pacer after every event and
// arms a timer for the instant it names; the timer fires `lateness` after
// that instant, as a QTimer does in real time.
struct Drive
{
    FlexibleServer::Config server;
    int requests = 120;
    Duration minLatency = 0ms; // send -> answer
    Duration maxLatency = 300ms;
    Duration maxUplink = 5ms;   // send -> counted; the pacer's arrival margin
    Duration minLateness = 0ms; // timer wake after the instant asked for
    Duration maxLateness = 3ms;
    Duration startOffset = 370ms;          // off the wall clock's second grid
    std::optional<Duration> guessedWindow; // the window the operator configured
    quint64 seed = 1;
};

struct Outcome
{
    bool finished = false;
    int accepted = 0;
    int rejected = 0;
    int most429InAWindow = 0;
    Duration longestIdle{};         // work waiting, nothing in flight, nothing sent
    Duration longestIdleAfterEnd{}; // the part of such an idle time after the server's window ended
    // The most such an idle time outlasted the longest wait the answers
    // justify: a window, or the latest end the last reset date allows under
    // either rounding (date + 1 s), whichever is later.
    Duration mostBeyondJustified = Duration::min();
    Duration furthestAhead{}; // earliestSend - now asked while idle
    TimePoint firstArrival{};
    TimePoint lastArrival{};
    TimePoint idealLastArrival{}; // the least any client could take, from the same first arrival

    // The measure: accepted per second over the run, divided by the limit's rate.
    double rateOfLimit(int requests, const FlexibleServer::Config &server) const
    {
        const double took = std::chrono::duration<double>(lastArrival - firstArrival).count();
        const double limitRate = server.limit / std::chrono::duration<double>(server.window).count();
        return took <= 0.0 ? 1.0 : requests / took / limitRate;
    }
    // Against the least time any client could take from the same first arrival.
    double efficiency() const
    {
        const double took = std::chrono::duration<double>(lastArrival - firstArrival).count();
        const double least = std::chrono::duration<double>(idealLastArrival - firstArrival).count();
        return took <= 0.0 ? 1.0 : least / took;
    }
};

Outcome drive(const Drive &d)
{
    struct Flight
    {
        TimePoint sentAt;
        Duration latency;
        FlexibleServer::Reply reply;
    };
    struct Event
    {
        TimePoint at;
        quint64 seq;
        bool arrival;
        size_t flight;
        bool operator>(const Event &o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };

    FakeClock clock;
    clock.advance(d.startOffset);
    FlexibleServer server(d.server);
    LimiterStack lane;
    HeaderPacer::Config pacer;
    pacer.guessedWindow = d.guessedWindow;
    lane.add(std::make_unique<HeaderPacer>(pacer));
    lane.add(std::make_unique<ConcurrencyLimit>(64));
    const RetryPolicy policy;
    std::mt19937_64 random(d.seed);
    auto uniform = [&random](Duration lo, Duration hi) {
        std::uniform_int_distribution<Duration::rep> pick(lo.count(), std::max(lo.count(), hi.count()));
        return Duration(pick(random));
    };

    Outcome out;
    std::vector<Flight> flights;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
    quint64 seq = 0;
    int toSend = d.requests;
    int inFlight = 0;
    std::optional<TimePoint> idleSince;
    std::optional<TimePoint> idleWindowEnd;
    std::optional<TimePoint> idleJustified;
    const TimePoint giveUp = clock.now() + 1h;
    std::optional<TimePoint> timer;

    while (out.accepted < d.requests) {
        TimePoint now = clock.now();
        while (toSend > 0 && lane.earliestSend(now) <= now) {
            if (idleSince) {
                out.longestIdle = std::max(out.longestIdle, now - *idleSince);
                out.longestIdleAfterEnd = std::max(out.longestIdleAfterEnd, now - std::max(*idleSince, *idleWindowEnd));
                out.mostBeyondJustified = std::max(out.mostBeyondJustified, now - *idleJustified);
                idleSince.reset();
            }
            const Duration latency = uniform(d.minLatency, d.maxLatency);
            const Duration uplink = std::min(latency, uniform(0ms, d.maxUplink));
            flights.push_back({now, latency, {}});
            events.push({now + uplink, seq++, true, flights.size() - 1});
            lane.onSend(now);
            --toSend;
            ++inFlight;
        }
        if (toSend > 0 && inFlight == 0) {
            if (!idleSince) {
                idleSince = now;
                idleWindowEnd = server.windowEnd(now);
                idleJustified = std::max(now + d.server.window, server.lastResetAt() + 1s);
            }
            const TimePoint asked = lane.earliestSend(now);
            out.furthestAhead = std::max(out.furthestAhead, asked == TimePoint::max() ? Duration::max() : asked - now);
        }
        // The timer is armed for what the lane says now and fires late.
        const TimePoint wanted = toSend > 0 ? lane.earliestSend(now) : TimePoint::max();
        timer = wanted == TimePoint::max() ? std::nullopt
                                           : std::optional<TimePoint>(std::max(wanted, now) + uniform(d.minLateness, d.maxLateness));
        const TimePoint next = std::min(timer.value_or(TimePoint::max()), events.empty() ? TimePoint::max() : events.top().at);
        if (next == TimePoint::max() || next > giveUp) {
            if (idleSince) { // stalled: the idle time lasts to the end of the run
                out.longestIdle = std::max(out.longestIdle, std::min(next, giveUp) - *idleSince);
                out.mostBeyondJustified = std::max(out.mostBeyondJustified, std::min(next, giveUp) - *idleJustified);
            }
            break;
        }
        clock.advanceTo(next);
        now = next;
        while (!events.empty() && events.top().at <= now) {
            const Event e = events.top();
            events.pop();
            Flight &f = flights[e.flight];
            if (e.arrival) {
                f.reply = server.consume(now, clock.wallNow());
                if (f.reply.status == 200) {
                    if (out.firstArrival == TimePoint{})
                        out.firstArrival = now;
                    out.lastArrival = now;
                }
                events.push({f.sentAt + f.latency, seq++, false, e.flight});
                continue;
            }
            --inFlight;
            const RateSignals parsed = RateSignalParser::parse(f.reply.status, f.reply.headers, QByteArray(), clock);
            ResponseObservation observation;
            observation.status = f.reply.status;
            observation.latency = f.latency;
            observation.rateSignals = &parsed;
            lane.onResponse(now, observation);
            if (f.reply.status == 200) {
                ++out.accepted;
                continue;
            }
            ++out.rejected;
            ++toSend; // the retry goes back through the lane
            const RetryPolicy::Decision decision = policy.decide(1, f.sentAt, observation, now, random);
            if (decision.kind == RetryPolicy::Decision::Kind::PauseLane)
                lane.pauseUntil(decision.at, decision.reason);
        }
    }
    out.finished = out.accepted == d.requests;
    out.most429InAWindow = server.most429InAWindow();
    // The least time: a full window at once, then a full one each time a window opens.
    const int windowsAfterFirst = (d.requests + d.server.limit - 1) / d.server.limit - 1;
    if (d.server.anchored) {
        out.idealLastArrival = out.firstArrival + windowsAfterFirst * d.server.window;
    } else {
        const Duration sinceEpoch = std::chrono::duration_cast<Duration>(
            (clock.wallNow() - (clock.now() - out.firstArrival)).time_since_epoch());
        const Duration toBoundary = (sinceEpoch / d.server.window + 1) * d.server.window - sinceEpoch;
        out.idealLastArrival = out.firstArrival + toBoundary + (windowsAfterFirst - 1) * d.server.window;
    }
    return out;
}

QString describe(const Outcome &o)
{
    return QStringLiteral("finished %1, accepted %2, rejected %3, most 429 in a window %4, longest idle %5 ms "
                          "(%6 ms after the window's end), furthest ahead %7 ms, efficiency %8")
        .arg(o.finished)
        .arg(o.accepted)
        .arg(o.rejected)
        .arg(o.most429InAWindow)
        .arg(std::chrono::duration_cast<std::chrono::milliseconds>(o.longestIdle).count())
        .arg(std::chrono::duration_cast<std::chrono::milliseconds>(o.longestIdleAfterEnd).count())
        .arg(o.furthestAhead == Duration::max() ? -1
                                                : std::chrono::duration_cast<std::chrono::milliseconds>(o.furthestAhead).count())
        .arg(o.efficiency(), 0, 'f', 3);
}

} // namespace

class TestHeaderPacer : public QObject
{
    Q_OBJECT
private slots:
    // The states one window goes through, and the rule that makes a late
    // timer harmless: every wait is an instant, so asking again after it
    // says "now", never a new wait.
    void statesOfOneWindow()
    {
        FakeClock clock;
        clock.advance(370ms);
        FlexibleServer server({});
        HeaderPacer pacer;
        auto exchange = [&](Duration latency) {
            pacer.onSend(clock.now());
            const FlexibleServer::Reply reply = server.consume(clock.now(), clock.wallNow());
            clock.advance(latency);
            const RateSignals parsed = RateSignalParser::parse(reply.status, reply.headers, QByteArray(), clock);
            ResponseObservation observation;
            observation.status = reply.status;
            observation.latency = latency;
            observation.rateSignals = &parsed;
            pacer.onResponse(clock.now(), observation);
        };
        QCOMPARE(pacer.state(clock.now()), HeaderPacer::State::Probing);
        QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
        const TimePoint opened = clock.now();
        exchange(2ms);
        QCOMPARE(pacer.state(clock.now()), HeaderPacer::State::InWindow);
        QCOMPARE(pacer.knownLimit().value_or(-1), qint64(30));
        while (pacer.state(clock.now()) == HeaderPacer::State::InWindow) {
            const TimePoint at = pacer.earliestSend(clock.now());
            QVERIFY(at < opened + 10s);
            clock.advanceTo(at + 1ms); // a late timer
            QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
            exchange(2ms);
        }
        QCOMPARE(pacer.state(clock.now()), HeaderPacer::State::Spent);
        const TimePoint end = pacer.earliestSend(clock.now());
        QCOMPARE(end, *pacer.windowEnd());
        QVERIFY(end >= opened + 10s && end <= opened + 11s);
        clock.advanceTo(end + 300us);
        QCOMPARE(pacer.state(clock.now()), HeaderPacer::State::Opening);
        const TimePoint openAt = pacer.earliestSend(clock.now());
        QVERIFY(openAt >= clock.now() && openAt < end + 1100ms);
        for (const Duration late : {Duration(100us), Duration(1ms), Duration(3ms)}) {
            clock.advanceTo(openAt + late);
            QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
        }
        exchange(2ms);
        QCOMPARE(pacer.state(clock.now()), HeaderPacer::State::InWindow);
    }

    // A server that stops speaking headers: from then on no opinion.
    void silentServerMeansNoOpinion()
    {
        FakeClock clock;
        HeaderPacer pacer;
        pacer.onSend(clock.now());
        clock.advance(20ms);
        const RateSignals nothing = RateSignalParser::parse(200, {}, QByteArray(), clock);
        ResponseObservation observation;
        observation.status = 200;
        observation.latency = 20ms;
        observation.rateSignals = &nothing;
        pacer.onResponse(clock.now(), observation);
        QCOMPARE(pacer.state(clock.now()), HeaderPacer::State::Silent);
        QCOMPARE(HeaderPacer::stateName(pacer.state(clock.now())), QStringLiteral("silent"));
        pacer.onSend(clock.now());
        QCOMPARE(pacer.earliestSend(clock.now()), clock.now());
    }

    // The wire times the pacer keeps stay bounded however long the run: about
    // a second of sends against a server that never reports, and a few of its
    // windows against one that does; yet every send a report may count
    // (those since the oldest request still out) is kept until it comes.
    void keptSendsStayBounded()
    {
        FakeClock clock;
        HeaderPacer pacer;
        std::deque<std::pair<TimePoint, QList<QPair<QByteArray, QByteArray>>>> answers; // send time, headers
        std::optional<FlexibleServer> server;
        qsizetype most = 0;
        auto answerDue = [&](Duration latency) {
            while (!answers.empty() && answers.front().first + latency <= clock.now()) {
                const RateSignals parsed = RateSignalParser::parse(200, answers.front().second, QByteArray(), clock);
                ResponseObservation observation;
                observation.status = 200;
                observation.latency = clock.now() - answers.front().first;
                observation.rateSignals = &parsed;
                pacer.onResponse(clock.now(), observation);
                answers.pop_front();
            }
        };
        // 100 per second, each answered 30 ms after it left.
        auto run = [&](int requests) {
            most = 0;
            for (int i = 0; i < requests; ++i) {
                clock.advance(10ms);
                answerDue(30ms);
                while (pacer.earliestSend(clock.now()) > clock.now()) { // held: the next answer or the instant named
                    const TimePoint at = pacer.earliestSend(clock.now());
                    clock.advanceTo(answers.empty() ? at : std::min(at, answers.front().first + 30ms));
                    answerDue(30ms);
                }
                pacer.onSend(clock.now());
                answers.emplace_back(clock.now(), server ? server->consume(clock.now(), clock.wallNow()).headers
                                                         : QList<QPair<QByteArray, QByteArray>>());
                most = std::max(most, pacer.rememberedSends());
            }
            clock.advance(30ms);
            answerDue(30ms);
        };

        run(100000); // a quarter of an hour of a server that speaks no rate headers
        QCOMPARE(pacer.state(clock.now()), HeaderPacer::State::Silent);
        QVERIFY2(most <= 110, qPrintable(QString::number(most)));

        // One request stays out (a slow answer) while 500 others go and come
        // back: its answer may report a window that counts them all.
        pacer.onSend(clock.now());
        const TimePoint slowSentAt = clock.now();
        run(500);
        QCOMPARE(pacer.inFlight(), 1);
        QVERIFY2(pacer.rememberedSends() >= 501, qPrintable(QString::number(pacer.rememberedSends())));
        const QList<QPair<QByteArray, QByteArray>> report{{"X-RateLimit-Limit", "1000"},
                                                          {"X-RateLimit-Remaining", "400"},
                                                          {"X-RateLimit-Reset", "1"}};
        answers.emplace_front(slowSentAt, report);
        answerDue(Duration::zero());
        QCOMPARE(pacer.knownLimit().value_or(-1), qint64(1000));
        QCOMPARE(pacer.inFlight(), 0);

        // A server that reports each answer: 1000 per second windows.
        server.emplace(FlexibleServer::Config{1000, 1s, true, false, true});
        run(1000); // the sends the slow report covered go once a later one reports
        run(30000);
        QVERIFY(pacer.state(clock.now()) != HeaderPacer::State::Silent);
        QVERIFY2(most <= 300, qPrintable(QString::number(most)));
    }

    // Segment's Public API as the issue measured it: 30 per 10 s opened by the
    // first request, truncated dates, a timer that always wakes a little late.
    // After the first window the pacer must open the next one, not chase an
    // instant that moves away each time it is asked.
    void lateWakeupsNeverStallTheNextWindow_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<int>("latencyMs");
        QTest::addColumn<bool>("consumed");
        QTest::addColumn<bool>("late");
        QTest::newRow("on time") << quint64(1) << 5 << true << false;
        QTest::newRow("seed 1, fast server") << quint64(1) << 5 << true << true;
        QTest::newRow("seed 2, 120 ms") << quint64(2) << 120 << true << true;
        QTest::newRow("seed 3, 300 ms") << quint64(3) << 300 << true << true;
        QTest::newRow("seed 4, no Consumed") << quint64(4) << 40 << false << true;
    }
    void lateWakeupsNeverStallTheNextWindow()
    {
        QFETCH(quint64, seed);
        QFETCH(int, latencyMs);
        QFETCH(bool, consumed);
        QFETCH(bool, late);
        Drive d;
        d.server.consumed = consumed;
        d.seed = seed;
        d.minLatency = std::chrono::milliseconds(latencyMs / 2);
        d.maxLatency = std::chrono::milliseconds(latencyMs);
        d.minLateness = late ? Duration(100us) : Duration::zero();
        d.maxLateness = late ? Duration(3ms) : Duration::zero();
        const Outcome o = drive(d);
        qInfo("%s", qPrintable(describe(o)));
        QVERIFY2(o.finished, qPrintable(describe(o)));
        QVERIFY2(o.furthestAhead <= d.server.window + 1s, qPrintable(describe(o)));
        QVERIFY2(o.longestIdle <= d.server.window + 1s, qPrintable(describe(o)));
    }

    // Any server of the family, any latency, any timer: with work waiting and
    // nothing out the pacer never idles more than a second beyond the longest
    // wait the answers justify (a window, or the latest end the last reset
    // date allows); every request is accepted, at most one 429 in a window,
    // and 120 requests go at no less than 0.95 of the limit's rate (the
    // issue's measure). How close it comes to the least time possible is
    // printed, not asserted: a whole-second date leaves the first window's
    // end open by a second, and finding out how dates are rounded costs the
    // window's last slot when they are rounded up.
    void propertiesHoldOverSeeds_data()
    {
        QTest::addColumn<bool>("anchored");
        QTest::addColumn<bool>("roundUp");
        QTest::addColumn<bool>("consumed");
        QTest::addColumn<int>("guessMs");
        QTest::addColumn<double>("leastEfficiencyWanted");
        QTest::addColumn<double>("leastRateWanted");
        for (bool anchored : {true, false}) {
            for (bool roundUp : {false, true}) {
                for (bool consumed : {true, false}) {
                    const QString name = QStringLiteral("%1, %2, %3")
                                             .arg(anchored ? QStringLiteral("opened by a request") : QStringLiteral("clock-aligned"),
                                                  roundUp ? QStringLiteral("dates rounded up") : QStringLiteral("dates truncated"),
                                                  consumed ? QStringLiteral("Consumed") : QStringLiteral("no Consumed"));
                    QTest::addRow("%s, nothing configured", qPrintable(name)) << anchored << roundUp << consumed << 0 << 0.0 << 0.95;
                    // A configured window is tested against the server's own.
                    // Right, it saves the dates' second of doubt in every
                    // window for one round trip (up to 0.3 s here).
                    QTest::addRow("%s, 10 s configured", qPrintable(name))
                        << anchored << roundUp << consumed << 10000 << (anchored && consumed ? 0.95 : 0.0) << 0.95;
                    // Too long, it is ignored: the dates say the window ends sooner.
                    QTest::addRow("%s, 12 s configured", qPrintable(name)) << anchored << roundUp << consumed << 12000 << 0.0 << 0.95;
                    // Too short, it costs one 429 and that retry's slot; with
                    // rounded-up dates also the window's last slot spent
                    // finding out how the dates round, as with nothing configured.
                    const double shortRate = anchored && roundUp && consumed ? 0.90 : 0.95;
                    QTest::addRow("%s, 9 s configured", qPrintable(name)) << anchored << roundUp << consumed << 9000 << 0.0 << shortRate;
                    QTest::addRow("%s, 9.6 s configured", qPrintable(name)) << anchored << roundUp << consumed << 9600 << 0.0 << shortRate;
                }
            }
        }
    }
    void propertiesHoldOverSeeds()
    {
        QFETCH(bool, anchored);
        QFETCH(bool, roundUp);
        QFETCH(bool, consumed);
        QFETCH(int, guessMs);
        QFETCH(double, leastEfficiencyWanted);
        QFETCH(double, leastRateWanted);
        // Every server of the family, many seeds; fewer for each configured window.
        const int kSeeds = guessMs > 0 ? 50 : 200;
        double leastEfficiency = 2.0;
        double mostEfficiency = 0.0;
        double leastRate = 2.0;
        QStringList failures;
        Duration longestIdle{};
        Duration longestIdleAfterEnd{};
        Duration mostBeyondJustified = Duration::min();
        int most429 = 0;
        std::mt19937_64 pick(42);
        for (int seed = 1; seed <= kSeeds; ++seed) {
            Drive d;
            d.server.anchored = anchored;
            d.server.roundUp = roundUp;
            d.server.consumed = consumed;
            d.seed = quint64(seed);
            if (guessMs > 0)
                d.guessedWindow = std::chrono::milliseconds(guessMs);
            auto upTo = [&pick](Duration most) {
                return Duration(std::uniform_int_distribution<Duration::rep>(0, most.count())(pick));
            };
            d.maxLatency = upTo(300ms);
            d.minLatency = upTo(d.maxLatency);
            d.maxUplink = std::min<Duration>(5ms, d.minLatency);
            d.maxLateness = upTo(3ms);
            d.startOffset = upTo(10s);
            const Outcome o = drive(d);
            const double rate = o.rateOfLimit(d.requests, d.server);
            const QString what = QStringLiteral("seed %1: %2, rate/limit %3").arg(seed).arg(describe(o)).arg(rate, 0, 'f', 3);
            if (!o.finished || o.mostBeyondJustified > Duration(1s) || o.most429InAWindow > 1 || rate < leastRateWanted
                || o.efficiency() < leastEfficiencyWanted)
                failures.append(what);
            leastRate = std::min(leastRate, rate);
            leastEfficiency = std::min(leastEfficiency, o.efficiency());
            mostEfficiency = std::max(mostEfficiency, o.efficiency());
            longestIdle = std::max(longestIdle, o.longestIdle);
            longestIdleAfterEnd = std::max(longestIdleAfterEnd, o.longestIdleAfterEnd);
            mostBeyondJustified = std::max(mostBeyondJustified, o.mostBeyondJustified);
            most429 = std::max(most429, o.most429InAWindow);
        }
        qInfo("%d seeds: rate/limit >= %.3f, vs least possible %.3f-%.3f, longest idle %lld ms (%lld ms after the "
              "window's end, %lld ms beyond the justified wait), most 429 in a window %d",
              kSeeds, leastRate, leastEfficiency, mostEfficiency,
              qint64(std::chrono::duration_cast<std::chrono::milliseconds>(longestIdle).count()),
              qint64(std::chrono::duration_cast<std::chrono::milliseconds>(longestIdleAfterEnd).count()),
              qint64(std::chrono::duration_cast<std::chrono::milliseconds>(mostBeyondJustified).count()), most429);
        QVERIFY2(failures.isEmpty(), qPrintable(QStringLiteral("%1 of %2 seeds failed, first %3")
                                                    .arg(failures.size())
                                                    .arg(kSeeds)
                                                    .arg(failures.value(0))));
    }
};

QTEST_GUILESS_MAIN(TestHeaderPacer)
#include "tst_headerpacer.moc"
