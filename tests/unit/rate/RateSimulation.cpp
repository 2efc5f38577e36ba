#include "tests/unit/rate/RateSimulation.h"

#include "core/rate/RateSignalParser.h"
#include "core/rate/RetryPolicy.h"

#include <queue>
#include <random>

using headroom::Duration;
using headroom::TimePoint;
using namespace headroom::rate;

namespace {

struct Flight
{
    TimePoint sentAt;
    Duration latency;
    SimulatedServer::Reply reply;
};

struct Event
{
    TimePoint at;
    quint64 seq;
    bool isArrival; // else: the response reaches the client
    size_t flight;
    bool operator>(const Event &o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

} // namespace

double RateSimulation::Result::acceptedRate(Duration from) const
{
    const TimePoint begin = start + from;
    const auto first = std::lower_bound(acceptedArrivals.begin(), acceptedArrivals.end(), begin);
    const auto count = std::distance(first, acceptedArrivals.end());
    if (count < 2)
        return 0.0;
    return double(count) / std::chrono::duration<double>(acceptedArrivals.back() - begin).count();
}

RateSimulation::RateSimulation(headroom::FakeClock &clock, SimulatedServer &server, LimiterStack &lane, Config config)
    : m_clock(clock)
    , m_server(server)
    , m_lane(lane)
    , m_config(config)
{
}

RateSimulation::Result RateSimulation::run()
{
    Result result;
    result.start = m_clock.now();
    std::mt19937_64 random(m_config.seed);
    auto uniform = [&random](Duration lo, Duration hi) {
        std::uniform_int_distribution<Duration::rep> pick(lo.count(), std::max(lo.count(), hi.count()));
        return Duration(pick(random));
    };
    const RetryPolicy policy;
    std::vector<Flight> flights;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
    quint64 seq = 0;
    int toSend = m_config.requests;
    const TimePoint giveUp = m_clock.now() + m_config.giveUpAfter;

    while (result.accepted < m_config.requests) {
        TimePoint now = m_clock.now();
        while (toSend > 0 && m_lane.earliestSend(now) <= now) {
            const Duration latency = uniform(m_config.minLatency, m_config.maxLatency);
            const Duration uplink = std::min(latency, uniform(m_config.minUplink, m_config.maxUplink));
            flights.push_back({now, latency, {}});
            events.push({now + uplink, seq++, true, flights.size() - 1});
            m_lane.onSend(now);
            --toSend;
            ++result.attempts;
        }
        const TimePoint wake = toSend > 0 ? m_lane.earliestSend(now) : TimePoint::max();
        const TimePoint next = events.empty() ? TimePoint::max() : events.top().at;
        const TimePoint t = std::min(wake, next);
        if (t == TimePoint::max() || t > giveUp)
            return result; // stuck: not finished
        m_clock.advanceTo(t);
        now = t;
        while (!events.empty() && events.top().at <= now) {
            const Event e = events.top();
            events.pop();
            Flight &f = flights[e.flight];
            if (e.isArrival) {
                f.reply = m_server.arrive(now, m_clock.wallNow());
                if (f.reply.status == 200)
                    result.acceptedArrivals.push_back(now);
                events.push({f.sentAt + f.latency, seq++, false, e.flight});
                continue;
            }
            const RateSignals parsed = RateSignalParser::parse(f.reply.status, f.reply.headers, f.reply.body, m_clock);
            ResponseObservation observation;
            observation.status = f.reply.status;
            observation.latency = f.latency;
            observation.rateSignals = &parsed;
            m_lane.onResponse(now, observation);
            if (f.reply.status == 200) {
                ++result.accepted;
            } else {
                ++result.rejected;
                ++toSend; // the retry goes back through the lane
                const RetryPolicy::Decision d = policy.decide(1, f.sentAt, observation, now, random);
                if (d.kind == RetryPolicy::Decision::Kind::PauseLane)
                    m_lane.pauseUntil(d.at, d.reason);
            }
        }
    }
    result.finished = true;
    return result;
}
