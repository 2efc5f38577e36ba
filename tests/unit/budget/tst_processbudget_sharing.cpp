#include "core/budget/ProcessBudget.h"
#include "core/budget/ProcessBudgetLimiter.h"
#include "core/clock/FakeClock.h"
#include "core/rate/GrantedBudgetLimiter.h"
#include "core/rate/LimiterStack.h"
#include "tests/unit/rate/ZooServer.h"

#include <QTest>

#include <memory>
#include <random>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::FakeClock;
using headroom::TimePoint;
using namespace headroom;

namespace {

// A lane's limiters as the Lane stacks them for a scope shared inside the
// process: its own granted budget under the configured ceiling, and the
// process's budget of the scope.
struct SharingLane
{
    rate::LimiterStack stack;
    int accepted = 0;
    int refused = 0;

    SharingLane(const std::shared_ptr<budget::ProcessBudget> &shared, int ceiling)
    {
        auto processBudget = std::make_unique<budget::ProcessBudgetLimiter>(shared);
        rate::GrantedBudgetLimiter::Config granted;
        granted.ceiling = ceiling;
        granted.othersSentSince = [holder = processBudget.get()](TimePoint from, std::vector<TimePoint> &out) {
            holder->othersSentSince(from, out);
        };
        stack.add(std::make_unique<rate::GrantedBudgetLimiter>(granted));
        stack.add(std::move(processBudget));
    }
};

struct Flight
{
    SharingLane *lane;
    TimePoint sentAt;
    TimePoint answerAt;
    int status;
};

// Several lanes sharing one process budget against one ZooServer, in
// virtual time; each request arrives 1 ms to `maxUplink` after it left (the
// threads' and the network's jitter) and is answered 40-60 ms after.
void run(FakeClock &clock, ZooServer &server, std::vector<std::unique_ptr<SharingLane>> &lanes, Duration length,
         Duration maxUplink)
{
    std::mt19937_64 random(7);
    std::uniform_int_distribution<int> uplinkUs(1000, int(std::chrono::duration_cast<std::chrono::microseconds>(maxUplink).count()));
    std::uniform_int_distribution<int> latencyMs(40, 60);
    std::vector<Flight> out;
    const TimePoint end = clock.now() + length;
    while (clock.now() < end) {
        TimePoint next = TimePoint::max();
        SharingLane *sender = nullptr;
        for (auto &lane : lanes) {
            const TimePoint at = lane->stack.earliestSend(clock.now());
            if (at < next) {
                next = at;
                sender = lane.get();
            }
        }
        auto answer = std::min_element(out.begin(), out.end(),
                                       [](const Flight &a, const Flight &b) { return a.answerAt < b.answerAt; });
        if (answer != out.end() && answer->answerAt <= next) {
            clock.advanceTo(answer->answerAt);
            rate::ResponseObservation o;
            o.status = answer->status;
            o.sentAt = answer->sentAt;
            o.wireAt = answer->sentAt;
            o.latency = answer->answerAt - answer->sentAt;
            answer->lane->stack.onResponse(clock.now(), o);
            (answer->status == 429 ? answer->lane->refused : answer->lane->accepted) += 1;
            out.erase(answer);
            continue;
        }
        if (next >= end)
            break;
        clock.advanceTo(next);
        // Asking again claims the process budget's slot for this lane, as
        // the dispatcher does right before it sends.
        if (sender->stack.earliestSend(clock.now()) > clock.now())
            continue;
        sender->stack.onSend(clock.now());
        const TimePoint arrival = clock.now() + std::chrono::microseconds(uplinkUs(random));
        const int status = server.arrive(arrival, WallTime{}).status;
        out.push_back({sender, clock.now(), clock.now() + std::chrono::milliseconds(latencyMs(random)), status});
    }
}

} // namespace

// Imports of one process into one scope share its budget: together they
// reach what the server grants, each gets a fair part of it, and a 429 that
// arrival jitter between them causes is no reason for one to crawl.
class TestProcessBudgetSharing : public QObject
{
    Q_OBJECT

private slots:
    void sharesWhatTheServerGrants_data()
    {
        QTest::addColumn<int>("serverLimit");
        QTest::addColumn<int>("maxUplinkMs");
        QTest::newRow("the configured limit is the server's") << 100 << 5;
        // Arrival jitter past the budget's margin: the server refuses a
        // few, which says nothing of a lower limit.
        QTest::newRow("the server's limit, arrivals jittering 40 ms") << 100 << 40;
        QTest::newRow("the server grants less than configured") << 60 << 5;
    }
    void sharesWhatTheServerGrants()
    {
        QFETCH(int, serverLimit);
        QFETCH(int, maxUplinkMs);
        FakeClock clock;
        ZooServer::Config config;
        config.limit = serverLimit;
        ZooServer server(config);
        auto shared = std::make_shared<budget::ProcessBudget>(QStringLiteral("scope"), 100, 1s, 5ms);
        std::vector<std::unique_ptr<SharingLane>> lanes;
        for (int i = 0; i < 3; ++i)
            lanes.push_back(std::make_unique<SharingLane>(shared, 100));
        run(clock, server, lanes, 40s, std::chrono::milliseconds(maxUplinkMs));
        int accepted = 0;
        int refused = 0;
        int least = std::numeric_limits<int>::max();
        for (const auto &lane : lanes) {
            accepted += lane->accepted;
            refused += lane->refused;
            least = std::min(least, lane->accepted);
        }
        const double rate = accepted / 40.0;
        qInfo("together %.1f/s of %d, least lane %.1f/s, %d 429s of %d", rate, serverLimit, least / 40.0, refused,
              accepted + refused);
        QVERIFY2(rate >= 0.9 * serverLimit, qPrintable(QString::number(rate)));
        // Each gets at least half of an even share.
        QVERIFY2(least / 40.0 >= 0.5 * serverLimit / 3.0, qPrintable(QString::number(least / 40.0)));
        QVERIFY2(refused * 50 <= accepted + refused, qPrintable(QString::number(refused)));
    }
};

QTEST_GUILESS_MAIN(TestProcessBudgetSharing)
#include "tst_processbudget_sharing.moc"
