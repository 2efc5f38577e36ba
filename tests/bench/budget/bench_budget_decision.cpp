// Cost of one shared-budget decision (issue 10): the GCRA script's round trip
// to Redis one at a time (what a lane waits for when its prefetch is empty),
// the script's throughput with many calls in flight (what one Redis gives all
// processes together), and the local answer from slots in hand.
//   bench_budget_decision PORT [CALLS]
#include "core/budget/GcraScript.h"
#include "core/budget/RedisConnection.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/clock/FakeClock.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace headroom;
using namespace headroom::budget;

namespace {

QList<QByteArray> call(const RedisUrl &url, int wanted)
{
    return {"EVALSHA", GcraScript::sha1(), "2", url.budgetKey(), url.processesKey(), "100000", "1000000", "0",
            QByteArray::number(wanted), "bench", "5000000", "0", "0"};
}

double percentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_budget_decision PORT [CALLS]\n");
        return 2;
    }
    const int calls = args.size() > 2 ? args.at(2).toInt() : 20000;
    const RedisUrl url = *RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1/0?key=bench").arg(args.at(1)), nullptr);
    RedisConnection c;
    c.open(url);
    QEventLoop loop;
    bool loaded = false;
    c.command({"SCRIPT", "LOAD", GcraScript::source()}, [&](const RedisValue &) { loaded = true; loop.quit(); });
    loop.exec();
    if (!loaded || !c.isConnected()) {
        std::fprintf(stderr, "no Redis on port %s\n", qPrintable(args.at(1)));
        return 1;
    }

    // One at a time: a decision's full round trip through the engine's event loop.
    std::vector<double> rtt;
    rtt.reserve(size_t(calls));
    QElapsedTimer t;
    for (int i = 0; i < calls; ++i) {
        t.start();
        c.command(call(url, 1), [&](const RedisValue &v) {
            if (v.isError())
                qFatal("%s", v.text.constData());
            rtt.push_back(double(t.nsecsElapsed()) / 1000.0);
            loop.quit();
        });
        loop.exec();
    }
    std::printf("| script round trip, one at a time | %d calls | p50 %.1f µs | p99 %.1f µs | max %.1f µs |\n", calls,
                percentile(rtt, 0.5), percentile(rtt, 0.99), percentile(rtt, 1.0));

    // Pipelined: up to 64 calls in flight.
    int sent = 0, answered = 0;
    QElapsedTimer wall;
    wall.start();
    std::function<void()> more = [&] {
        while (sent < calls && sent - answered < 64) {
            ++sent;
            c.command(call(url, 1), [&](const RedisValue &) {
                ++answered;
                if (answered == calls)
                    loop.quit();
                else
                    more();
            });
        }
    };
    more();
    loop.exec();
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    std::printf("| script, 64 in flight | %d calls | %.0f decisions/s | %.2f µs each | |\n", calls, calls / seconds,
                seconds * 1e6 / calls);

    // The local answer: earliestSend + onSend from slots in hand, no I/O.
    FakeClock clock;
    SharedBudgetConfig config;
    config.limit = 1'000'000; // never the binding rule here
    SharedBudgetLimiter limiter(config);
    Reservation r;
    r.limit = 1'000'000;
    r.periodUs = 1'000'000;
    r.processes = 1;
    const int local = 1'000'000;
    QElapsedTimer lt;
    lt.start();
    qint64 sink = 0;
    for (int i = 0; i < local; i += 32) {
        r.offsetsUs.clear();
        for (int k = 0; k < 32; ++k)
            r.offsetsUs << k;
        limiter.onReservation(clock.now(), clock.now(), r);
        for (int k = 0; k < 32; ++k) {
            sink += limiter.earliestSend(clock.now()).time_since_epoch().count() & 1;
            limiter.onSend(clock.now());
            clock.advance(std::chrono::microseconds(10)); // 100,000/s: a full window of sends kept
        }
    }
    std::printf("| local decision (earliestSend + onSend, slots in hand) | %d | %.0f ns each | | |\n", local,
                double(lt.nsecsElapsed()) / local);
    return sink == -1 ? 1 : 0;
}
