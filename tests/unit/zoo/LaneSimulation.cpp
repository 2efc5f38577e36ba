#include "tests/unit/zoo/LaneSimulation.h"

#include "core/rate/GrantedBudgetLimiter.h"
#include "core/rate/RateSignalParser.h"
#include "core/run/Lane.h"

#include <map>
#include <queue>
#include <random>

using headroom::Duration;
using headroom::TimePoint;
using namespace headroom;

namespace {

struct Flight
{
    run::Job job;
    TimePoint sentAt;
    TimePoint answerAt;
    ZooServer::Reply reply;
    bool arrived = false;
};

enum class EventKind { Arrival,
                       Answer };

struct Event
{
    TimePoint at;
    quint64 seq;
    EventKind kind;
    quint64 flight;
    bool operator>(const Event &o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

} // namespace

double LaneSimulation::Result::acceptedRate(Duration from) const
{
    const TimePoint begin = start + from;
    const auto first = std::lower_bound(acceptedArrivals.begin(), acceptedArrivals.end(), begin);
    const auto count = std::distance(first, acceptedArrivals.end());
    if (count < 2)
        return 0.0;
    return double(count) / std::chrono::duration<double>(acceptedArrivals.back() - begin).count();
}

LaneSimulation::LaneSimulation(FakeClock &clock, ZooServer &server, run::LaneConfig lane, Config config)
    : m_clock(clock)
    , m_server(server)
    , m_laneConfig(std::move(lane))
    , m_config(config)
{
}

LaneSimulation::Result LaneSimulation::run()
{
    Result result;
    result.start = m_clock.now();
    std::mt19937_64 random(m_config.seed);
    auto uniform = [&random](Duration lo, Duration hi) {
        std::uniform_int_distribution<Duration::rep> pick(lo.count(), std::max(lo.count(), hi.count()));
        return Duration(pick(random));
    };
    m_laneConfig.randomSeed = m_config.seed;
    run::Lane lane(m_laneConfig, m_clock.now());
    std::map<quint64, Flight> flights;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
    quint64 seq = 0;
    quint64 nextFlight = 0;
    int nextRow = 1;
    TimePoint lastActivity = m_clock.now();
    const TimePoint giveUp = m_clock.now() + m_config.giveUpAfter;

    auto hasWork = [&](TimePoint now) { return nextRow <= m_config.rows || lane.nextRetryDue() <= now; };
    while (result.done + result.deadLetters < m_config.rows) {
        TimePoint now = m_clock.now();
        while (hasWork(now) && lane.nextSendAt(now) <= now && lane.admit(now)) {
            const TimePoint retryDue = lane.nextRetryDue();
            std::optional<run::Job> retry = lane.takeDueRetry(now);
            TimePoint readyAt = lastActivity;
            run::Job job;
            if (retry) {
                readyAt = std::max(readyAt, retryDue);
                job = std::move(*retry);
            } else {
                job.id = quint64(nextRow);
                job.call.rows = {nextRow};
                ++nextRow;
            }
            if (lane.inFlight() == 0 && now - readyAt > result.longestIdle) {
                result.longestIdle = now - readyAt;
                result.longestIdleAt = now;
            }
            lane.onSend(now, job);
            const TimePoint wire = now + uniform(Duration::zero(), std::chrono::milliseconds(1));
            lane.onWire(now, wire);
            const Duration latency = uniform(m_config.minLatency, m_config.maxLatency);
            const TimePoint arrival = wire + std::min(latency, uniform(m_config.minUplink, m_config.maxUplink));
            const quint64 id = nextFlight++;
            flights[id] = {job, now, std::max(arrival, now + latency), {}, false};
            events.push({arrival, seq++, EventKind::Arrival, id});
            ++result.attempts;
            lastActivity = now;
        }
        TimePoint wake = TimePoint::max();
        if (nextRow <= m_config.rows || lane.hasRetries()) {
            const TimePoint due = nextRow <= m_config.rows ? now : std::max(now, lane.nextRetryDue());
            wake = std::max(due, lane.nextSendAt(now));
            if (wake != TimePoint::max())
                wake += uniform(Duration::zero(), m_config.wakeLateness);
        }
        const TimePoint next = events.empty() ? TimePoint::max() : events.top().at;
        const TimePoint t = std::min(wake, next);
        if (qEnvironmentVariableIsSet("ZOO_TRACE"))
            qInfo("t=%.3f wake=%.3f next=%.3f inflight=%d retries=%d binding=%s", std::chrono::duration<double>(now - result.start).count(),
                  wake == TimePoint::max() ? -1.0 : std::chrono::duration<double>(wake - result.start).count(),
                  next == TimePoint::max() ? -1.0 : std::chrono::duration<double>(next - result.start).count(), lane.inFlight(),
                  int(lane.retryCount()), qPrintable(lane.limiters().binding(now).limiter));
        if (t == TimePoint::max() || t > giveUp)
            return result;
        m_clock.advanceTo(t);
        now = t;
        while (!events.empty() && events.top().at <= now) {
            const Event e = events.top();
            events.pop();
            Flight &f = flights[e.flight];
            if (e.kind == EventKind::Arrival) {
                f.reply = m_server.arrive(now, m_clock.wallNow());
                f.arrived = true;
                if (f.reply.status == 200)
                    result.acceptedArrivals.push_back(now);
                const TimePoint answer = f.reply.lost ? f.sentAt + m_laneConfig.transferTimeout : f.answerAt;
                events.push({std::max(answer, now), seq++, EventKind::Answer, e.flight});
                continue;
            }
            Flight flight = std::move(f);
            flights.erase(e.flight);
            rate::ResponseObservation observation;
            const rate::RateSignals parsed = rate::RateSignalParser::parse(flight.reply.status, flight.reply.headers,
                                                                           flight.reply.body, m_clock);
            if (flight.reply.lost) {
                observation.timedOut = true;
            } else {
                observation.status = flight.reply.status;
                observation.rateSignals = &parsed;
                // A reset the server reported is a wait it justified, to the
                // end of the second a whole-second date leaves open.
                if (parsed.resetAt && *parsed.resetAt + parsed.resetResolution - now > result.longestStatedWait)
                    result.longestStatedWait = *parsed.resetAt + parsed.resetResolution - now;
                if (flight.reply.status == 429) {
                    ++result.throttled;
                    if (qEnvironmentVariableIsSet("ZOO_TRACE_429"))
                        qInfo("429 at %.3f sent %.3f", std::chrono::duration<double>(now - result.start).count(),
                              std::chrono::duration<double>(flight.sentAt - result.start).count());
                    if (const auto wait = parsed.serverWaitUntil(); wait && *wait - now > result.longestStatedWait)
                        result.longestStatedWait = *wait - now;
                }
            }
            observation.latency = now - flight.sentAt;
            observation.sentAt = flight.job.lastSentAt;
            observation.wireAt = flight.job.lastSentAt;
            const auto decision = lane.onResult(now, flight.job, observation);
            if (flight.reply.status == 429 && qEnvironmentVariableIsSet("ZOO_TRACE_429"))
                qInfo("   estimate %d measured %d hold %.3f episodes %d shared %d raise at %.3f", lane.grantedBudget()->estimate().value_or(-1),
                      lane.grantedBudget()->lastMeasurement().value_or(-1),
                      std::chrono::duration<double>(lane.grantedBudget()->holdUntil() - result.start).count(),
                      lane.grantedBudget()->episodes(), int(lane.grantedBudget()->shared()),
                      std::chrono::duration<double>(lane.grantedBudget()->nextRaiseAt() - result.start).count());
            using Kind = rate::RetryPolicy::Decision::Kind;
            if (decision.kind == Kind::Done) {
                ++result.done;
            } else if (decision.kind == Kind::DeadLetter || decision.kind == Kind::SplitBatch) {
                ++result.deadLetters;
                result.deadReasons << decision.reason;
            }
            result.end = now;
            lastActivity = now;
            if (qEnvironmentVariableIsSet("ZOO_TRACE_ESTIMATE")) {
                static int last = -2;
                const int estimate = lane.grantedBudget()->estimate().value_or(-1);
                if (estimate != last)
                    qInfo("estimate %d at %.3f (hold %.3f, raise at %.3f, probing %d)", estimate,
                          std::chrono::duration<double>(now - result.start).count(),
                          std::chrono::duration<double>(lane.grantedBudget()->holdUntil() - result.start).count(),
                          std::chrono::duration<double>(lane.grantedBudget()->nextRaiseAt() - result.start).count(),
                          int(lane.grantedBudget()->probing()));
                last = estimate;
            }
        }
    }
    result.finished = true;
    return result;
}
