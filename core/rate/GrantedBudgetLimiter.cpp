#include "core/rate/GrantedBudgetLimiter.h"

#include "core/rate/RateSignals.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace headroom::rate {

using namespace std::chrono_literals;

namespace {
constexpr size_t kMaxRememberedSends = 1 << 16;
// The share of a budget kept free once its measurements vary (others spend
// from it), and how many measurements tell.
constexpr double kSharedHeadroom = 0.03;
constexpr size_t kRememberedMeasurements = 4;
constexpr int kLeastRampedCeiling = 10;
// Refused probes in a row, one window apart, after the budget dropped: a
// drop often ends within seconds (a temporary throttle, a neighbour's
// burst), and each probe costs one 429. Past them the budget is the
// server's standing limit, and each further refusal doubles the stretch up
// to maxQuietWindows.
constexpr int kShortProbesAfterDrop = 8;
} // namespace

GrantedBudgetLimiter::GrantedBudgetLimiter()
    : GrantedBudgetLimiter(Config{})
{
}

GrantedBudgetLimiter::GrantedBudgetLimiter(Config config)
    : m_config(config)
{
    m_config.window = std::max(Duration(1ms), m_config.window);
    m_config.margin = std::max(Duration::zero(), m_config.margin);
    m_config.quietWindows = std::max(1, m_config.quietWindows);
    m_config.maxQuietWindows = std::max(m_config.quietWindows, m_config.maxQuietWindows);
    m_quietWindows = m_config.quietWindows;
    m_margin = m_config.margin;
    if (m_config.initial > 0) {
        m_slowStart = true;
        setEstimate(m_config.initial);
    }
    // Below a handful per window a burst costs a handful of refusals at most.
    if (!m_config.firstWindowRamp || !m_config.ceiling || *m_config.ceiling < kLeastRampedCeiling || m_slowStart)
        m_ramp = Ramp::Over;
}

bool GrantedBudgetLimiter::pacedAtCeiling() const
{
    return m_config.ceiling && m_episodes > 0 && m_spacedUntil != TimePoint{};
}

bool GrantedBudgetLimiter::ramping(TimePoint now) const
{
    return m_ramp == Ramp::Before || (m_ramp == Ramp::Growing && now < m_rampFrom + m_config.window);
}

TimePoint GrantedBudgetLimiter::rampWait(TimePoint now) const
{
    if (m_ramp != Ramp::Growing || now >= m_rampFrom + m_config.window)
        return now;
    // The ceiling's count spread evenly over the window: a lower budget is
    // met while one round trip's worth of requests is out, and the window's
    // shape, which a sliding window repeats, stays even.
    return std::max(now, m_rampFrom + m_rampSent * (m_config.window / *m_config.ceiling));
}

bool GrantedBudgetLimiter::teaches(const ResponseObservation &observation)
{
    if (observation.status != 429)
        return false;
    const RateSignals *s = observation.rateSignals;
    // The server said where its window ends: the header pacer follows that.
    return !(s && (s->nextWindowAt || (s->remaining && s->resetAt)));
}

void GrantedBudgetLimiter::setEstimate(int estimate)
{
    estimate = std::max(1, estimate);
    if (m_config.ceiling && estimate >= *m_config.ceiling && !m_slowStart) {
        // Back at the configured limit: its exact window governs again.
        m_estimate.reset();
        return;
    }
    if (m_config.ceiling)
        estimate = std::min(estimate, *m_config.ceiling);
    m_estimate = estimate;
}

TimePoint GrantedBudgetLimiter::earliestSend(TimePoint now) const
{
    TimePoint at = std::max({now, m_holdUntil, rampWait(now)});
    if (!m_estimate) {
        // Back at the configured limit after a refusal: still evenly at it.
        // Its window alone would let the difference between the old
        // estimate and the limit go at once, into a server that just
        // refused at the old one.
        if (pacedAtCeiling())
            at = std::max(at, m_spacedUntil - m_config.window / *m_config.ceiling);
        return at;
    }
    // A probe above the old estimate is out: the rest keep to the old one
    // until its answer says whether the server grants more.
    const bool probing = m_probeState == ProbeState::Pending && now < m_probeSentAt + m_config.window;
    // At a server that counts refusals, a refused probe would take every
    // request sent after it down too: there nothing goes until its answer.
    if (probing && m_countsRefusals)
        at = std::max(at, m_probeSentAt + m_config.window);
    const int limit = probing ? m_probeFrom + 1 : *m_estimate;
    // Evenly spread: an estimate can be too high, and a spread-out window lets
    // the first rejection stop the lane before many more go.
    // GCRA: a timer that fires late does not push every later send back.
    if (m_spacedUntil != TimePoint{})
        at = std::max(at, m_spacedUntil - m_config.window / limit);
    // No more than the estimate in any window + margin, every attempt counted.
    const TimePoint from = at - m_config.window - m_margin;
    std::vector<TimePoint> inWindow = othersSince(from);
    for (auto it = m_sends.rbegin(); it != m_sends.rend(); ++it) {
        if (it->wireAt > from)
            inWindow.push_back(it->wireAt);
        else if (it->sentAt <= from - 1s)
            break; // wire times trail send times by far less than a second
    }
    if (qsizetype(inWindow.size()) < limit)
        return at;
    std::sort(inWindow.begin(), inWindow.end());
    const size_t leaving = inWindow.size() - size_t(limit);
    return std::max(at, inWindow[leaving] + m_config.window + m_margin);
}

void GrantedBudgetLimiter::onSend(TimePoint now)
{
    m_sends.push_back({now, now, Outcome::Pending});
    if (m_ramp == Ramp::Before) {
        m_ramp = Ramp::Growing;
        m_rampFrom = now;
    }
    if (m_ramp == Ramp::Growing)
        ++m_rampSent;
    // The probe is the send that puts one more than the old estimate in an
    // exact window: counted with the arrival margin, the lane's own window
    // is wider than the server's, and a send granted there tells nothing.
    if (m_probeState == ProbeState::Armed && attemptsSince(now - m_config.window) > m_probeFrom) {
        m_probeState = ProbeState::Pending;
        m_probeSentAt = now;
    }
    if (m_estimate)
        m_spacedUntil = std::max(m_spacedUntil, now) + m_config.window / *m_estimate;
    else if (pacedAtCeiling())
        m_spacedUntil = std::max(m_spacedUntil, now) + m_config.window / *m_config.ceiling;
    if (m_slowStart && m_nextRaiseAt == TimePoint{})
        m_nextRaiseAt = now + m_config.window;
    trim(now);
}

void GrantedBudgetLimiter::onWire(TimePoint sentAt, TimePoint wireAt)
{
    if (wireAt <= sentAt)
        return;
    for (auto it = m_sends.rbegin(); it != m_sends.rend(); ++it) {
        if (it->sentAt == sentAt && it->wireAt == sentAt) {
            it->wireAt = wireAt;
            return;
        }
        if (it->sentAt < sentAt)
            return;
    }
}

std::deque<GrantedBudgetLimiter::Send>::iterator GrantedBudgetLimiter::findSend(TimePoint now,
                                                                                const ResponseObservation &observation)
{
    if (observation.sentAt != TimePoint{}) {
        // Sends handed over in the same instant share their send time; the
        // server counted them in arrival order, so a rejection is matched to
        // the one that left last and an acceptance to the one that left first.
        const bool rejected = teaches(observation);
        auto found = m_sends.end();
        for (auto it = m_sends.rbegin(); it != m_sends.rend(); ++it) {
            if (it->sentAt < observation.sentAt)
                break;
            if (it->sentAt != observation.sentAt || it->outcome != Outcome::Pending)
                continue;
            const auto candidate = std::prev(it.base());
            if (found == m_sends.end() || (rejected ? candidate->wireAt > found->wireAt : candidate->wireAt <= found->wireAt))
                found = candidate;
        }
        return found;
    }
    // The nearest pending send to when this answer's request left: sends are
    // in send order, so search from there outwards, not through all of them.
    const TimePoint sentAt = now - std::max(Duration::zero(), observation.latency);
    const auto split = std::lower_bound(m_sends.begin(), m_sends.end(), sentAt,
                                        [](const Send &s, TimePoint t) { return s.sentAt < t; });
    auto later = split;
    while (later != m_sends.end() && later->outcome != Outcome::Pending)
        ++later;
    auto earlier = m_sends.end();
    for (auto it = split; it != m_sends.begin();) {
        --it;
        if (it->outcome == Outcome::Pending) {
            earlier = it;
            break;
        }
        if (later != m_sends.end() && sentAt - it->sentAt > later->sentAt - sentAt)
            break; // anything further back is further than the later one
    }
    if (earlier == m_sends.end())
        return later;
    if (later == m_sends.end())
        return earlier;
    return sentAt - earlier->sentAt <= later->sentAt - sentAt ? earlier : later;
}

void GrantedBudgetLimiter::onResponse(TimePoint now, const ResponseObservation &observation)
{
    const auto it = findSend(now, observation);
    if (it == m_sends.end())
        return;
    const bool probe = m_probeState == ProbeState::Pending && it->sentAt == m_probeSentAt;
    const RateSignals *s = observation.rateSignals;
    // A refusal ends the ramp; so does a server stating its limit, which the
    // header pacer then follows.
    if (observation.status == 429 || (s && (s->limit || s->remaining)))
        m_ramp = Ramp::Over;
    if (teaches(observation)) {
        it->outcome = Outcome::Rejected;
        if (probe)
            onProbeRejected(now, *it);
        else
            onThrottle(now, *it);
        return;
    }
    it->outcome = Outcome::Counted;
    if (probe) { // granted: the raise stands, and the next one may be larger
        m_probeState = ProbeState::None;
        // Two in a row are no edge-of-window luck: the budget moved.
        if (++m_grantedProbes >= 2)
            m_refusedProbes = 0;
    }
    if (observation.status >= 200 && observation.status < 300)
        maybeRaise(now);
}

int GrantedBudgetLimiter::countedBefore(const Send &rejected) const
{
    // A send up to the arrival margin older than a window may still have been
    // in the server's window when the refused one arrived.
    const TimePoint from = rejected.wireAt - m_config.window - m_margin;
    const std::vector<TimePoint> others = othersSince(from);
    int counted = int(std::count_if(others.begin(), others.end(), [&](TimePoint t) { return t < rejected.wireAt; }));
    for (auto it = m_sends.rbegin(); it != m_sends.rend(); ++it) {
        if (it->sentAt <= from - 1s)
            break;
        if (&*it == &rejected || it->outcome == Outcome::Rejected || it->wireAt <= from)
            continue;
        if (it->wireAt < rejected.wireAt || it->sentAt == rejected.sentAt)
            ++counted;
    }
    return counted;
}

void GrantedBudgetLimiter::onThrottle(TimePoint now, const Send &rejected)
{
    // Sent after a probe, at the old estimate, and refused with it: the
    // server counts refused requests (rolling-rate-limiter does), and this
    // is the probe's echo, not news about the budget.
    if (m_probeSentAt != TimePoint{} && rejected.sentAt > m_probeSentAt) {
        if (m_probeState == ProbeState::Pending || rejected.sentAt <= m_probeRefusedAt) {
            m_countsRefusals = true;
            if (m_probeState == ProbeState::Pending)
                onProbeRejected(now, rejected);
            return;
        }
    }
    const int measured = std::max(1, countedBefore(rejected));
    // A full configured window met a 429: arrival jitter, which the sliding
    // window's margin handles; the server grants what it was told.
    if (m_config.ceiling && !m_estimate && measured >= *m_config.ceiling - std::max(1, *m_config.ceiling / 100))
        return;
    if (m_episodes == 0 || rejected.sentAt >= m_episodeAt) {
        startEpisode(now, rejected, measured);
        return;
    }
    // Sent before the lane reacted: part of the same episode. Its count is
    // no better a measurement (a window that already holds refusals, or the
    // counts of a limit that just dropped), so the episode's first stands.
}

void GrantedBudgetLimiter::remember(int measured)
{
    // A measurement far below the last ones: the budget dropped, and what
    // was measured before no longer says anything about it.
    if (!m_measurements.empty() && measured < 0.9 * m_measurements.back())
        m_measurements.clear();
    m_measurements.push_back(measured);
    while (m_measurements.size() > kRememberedMeasurements)
        m_measurements.pop_front();
}

bool GrantedBudgetLimiter::varying() const
{
    if (m_measurements.size() < 2)
        return false;
    const auto [low, high] = std::minmax_element(m_measurements.begin(), m_measurements.end());
    return *high - *low > std::max(1.0, m_config.sameCeiling * *high);
}

void GrantedBudgetLimiter::settle()
{
    // The same ceiling measured again is the server's limit: pace at it.
    // Measurements that vary mean others spend from the budget: pace below
    // the least of them, keeping a little free so their requests and ours
    // both pass.
    const int least = *std::min_element(m_measurements.begin(), m_measurements.end());
    // Readings of one limit a request apart are arrival jitter: one request
    // the server let through at the window's edge is no grant, so the least
    // of them is the pace.
    if (m_shared || varying())
        setEstimate(int(std::floor(least * (1.0 - kSharedHeadroom))));
    else
        setEstimate(least);
}

void GrantedBudgetLimiter::scheduleRaise(TimePoint from, bool dropped)
{
    const int measured = m_measurements.back();
    if (dropped) {
        m_quietWindows = m_config.quietWindows;
        m_raiseStep = std::max(1, measured / 4);
    } else if (m_shared || varying()) {
        m_quietWindows = m_config.maxQuietWindows / 4;
        m_raiseStep = 1;
    } else {
        m_quietWindows = m_refusedProbes < kShortProbesAfterDrop ? 1 : confirmedQuietWindows(measured);
        m_raiseStep = 1;
    }
    m_confirmations = !dropped && !varying() && m_measurements.size() > 1 ? m_confirmations + 1 : 0;
    if (dropped)
        m_refusedProbes = 0;
    const int doublings = std::clamp(m_refusedProbes - kShortProbesAfterDrop, 0, 5);
    m_quietWindows = std::min(m_config.maxQuietWindows, m_quietWindows << doublings);
    m_nextRaiseAt = from + m_quietWindows * m_config.window;
}

void GrantedBudgetLimiter::startEpisode(TimePoint now, const Send &rejected, int measured)
{
    const std::optional<int> before = lastMeasurement();
    const bool dropped = !before || measured < 0.9 * *before;
    // Settled: the pace held for two windows since the last episode. Within
    // them the server's window still holds counts from before the lane
    // reacted (a limit that just dropped), which say nothing about others.
    // A raise that the server granted by arrival jitter alone and refuses a
    // window later is the raise's refusal, not news about others, so the
    // pace must also have held since the last raise.
    const bool sinceRaise = m_raisedAt != TimePoint{} && now - m_raisedAt < 2 * m_config.window;
    const bool settled = m_episodes > 0 && now - m_episodeAt >= 2 * m_config.window && !sinceRaise;
    if (sinceRaise && !dropped) {
        ++m_refusedProbes;
        m_grantedProbes = 0;
        m_refusedLevel = measured + 1;
    } else if (dropped) {
        m_refusedLevel = 0;
    }
    if (m_estimate && !m_slowStart && m_probeState == ProbeState::None && !dropped && settled) {
        // Refused at the pace it had settled on, with no raise out. At that
        // very count it is arrival jitter at the limit; below it, the budget
        // left to this lane moves under it: others spend from it.
        if (measured < *m_estimate - 1)
            m_shared = true;
    }
    m_probeState = ProbeState::None;
    m_slowStart = false;
    remember(measured);
    settle();
    // Back off from the window when the budget drops between two episodes
    // close together: the server's window still holds counts this lane
    // cannot see (a limit that dropped, a neighbour's burst), and one whole
    // window after the refused request none of them is left. Otherwise a
    // rejection only lowers the pace.
    const bool repeated = m_lastEpisodeAt != TimePoint{} && now - m_lastEpisodeAt < 2 * m_config.window;
    m_lastEpisodeAt = now;
    m_episodeAt = now;
    ++m_episodes;
    if (repeated && before && measured < 0.9 * *before)
        m_holdUntil = std::max(m_holdUntil, rejected.wireAt + m_config.window + m_margin);
    scheduleRaise(std::max(now, m_holdUntil), dropped);
    // Where refused requests count, the overshoot of a refused step took a
    // round trip of refusals: the climb starts again from one request.
    if (sinceRaise && !dropped && !m_countsRefusals)
        retestStep();
}

void GrantedBudgetLimiter::onProbeRejected(TimePoint now, const Send &rejected)
{
    // The one request above the old estimate was refused: the old estimate
    // is the limit, and nothing else went above it meanwhile, so there is no
    // stale count to wait out. That estimate is the measurement: a count of
    // the window would include sends the arrival margin only may have left
    // in it, and a budget that reads a request or two apart each time would
    // look shared.
    Q_UNUSED(rejected);
    m_probeState = ProbeState::None;
    m_probeRefusedAt = now;
    ++m_refusedProbes;
    m_grantedProbes = 0;
    m_refusedLevel = m_probeFrom + 1;
    remember(m_probeFrom);
    settle();
    setEstimate(std::min(*m_estimate, m_probeFrom));
    m_episodeAt = now;
    ++m_episodes;
    scheduleRaise(now, false);
    retestStep();
}

void GrantedBudgetLimiter::retestStep()
{
    // The step a refused raise tested is tested again: after a drop the
    // budget may come back whole, and the probe above the old estimate is
    // one request, all a refusal costs.
    if (!m_shared && !varying())
        m_raiseStep = std::max(m_raiseStep, m_probeStep);
}

int GrantedBudgetLimiter::confirmedQuietWindows(int budget) const
{
    // A refused probe costs one 429 (or one round trip's pause): probing a
    // confirmed budget every few windows finds a limit that came back within
    // seconds, and probing a small one less often keeps the 429s near 1 % of
    // its requests.
    return std::clamp(100 / std::max(1, budget), m_config.quietWindows, m_config.maxQuietWindows);
}

std::vector<TimePoint> GrantedBudgetLimiter::othersSince(TimePoint from) const
{
    std::vector<TimePoint> others;
    if (m_config.othersSentSince)
        m_config.othersSentSince(from, others);
    return others;
}

int GrantedBudgetLimiter::attemptsSince(TimePoint from) const
{
    int n = int(othersSince(from).size());
    for (auto it = m_sends.rbegin(); it != m_sends.rend() && it->sentAt > from; ++it)
        ++n;
    return n;
}

void GrantedBudgetLimiter::maybeRaise(TimePoint now)
{
    if (!m_estimate || m_nextRaiseAt == TimePoint{} || now < m_nextRaiseAt || now < m_holdUntil
        || m_probeState != ProbeState::None)
        return;
    // Only a binding estimate is worth raising: a lane held back by latency or
    // concurrency learns nothing from a higher one.
    const int limit = *m_estimate;
    if (attemptsSince(now - m_config.window) < limit - std::max(1, limit / 10))
        return;
    if (m_slowStart) {
        setEstimate(limit * 2);
    } else {
        m_probeFrom = limit;
        m_probeState = ProbeState::Armed;
        m_raisedAt = now;
        // The probe tests one request above the old estimate, not the whole
        // step, so the climb stops just short of where the server last
        // refused and goes on past it one request at a time: near that level
        // an overshoot costs a round trip of refusals, far below it nothing.
        int step = m_raiseStep;
        const bool belowRefused = m_refusedLevel > 0 && limit < m_refusedLevel - 1;
        if (belowRefused && limit + step >= m_refusedLevel - 1)
            step = m_refusedLevel - 1 - limit;
        setEstimate(limit + step);
        m_probeStep = step;
        if (!m_estimate) {
            // Raised back to the configured limit: what was measured below
            // it describes a budget that has gone (a limit back after a
            // drop); kept, it would pull the next episode's pace down to it.
            m_measurements.clear();
            m_refusedLevel = 0;
        }
        if (step < m_raiseStep)
            m_raiseStep = 1;
        else // others spending from the budget make every overshoot cost them too
            m_raiseStep *= m_shared || varying() ? 2 : 4;
    }
    m_nextRaiseAt = now + m_config.window;
}

void GrantedBudgetLimiter::trim(TimePoint now)
{
    const TimePoint keepFrom = now - 2 * m_config.window - m_margin - 10s;
    while (!m_sends.empty() && (m_sends.front().sentAt < keepFrom || m_sends.size() > kMaxRememberedSends))
        m_sends.pop_front();
}

double GrantedBudgetLimiter::currentRate(TimePoint now) const
{
    Q_UNUSED(now);
    if (!m_estimate)
        return -1.0;
    return double(*m_estimate) / std::chrono::duration<double>(m_config.window).count();
}

QJsonObject GrantedBudgetLimiter::saveState() const
{
    QJsonObject o{{QStringLiteral("kind"), name()}};
    if (m_estimate)
        o.insert(QStringLiteral("estimate"), *m_estimate);
    if (!m_measurements.empty())
        o.insert(QStringLiteral("measured"), m_measurements.back());
    o.insert(QStringLiteral("shared"), m_shared);
    o.insert(QStringLiteral("confirmations"), m_confirmations);
    o.insert(QStringLiteral("slowStart"), m_slowStart);
    return o;
}

void GrantedBudgetLimiter::restoreState(const QJsonObject &state, TimePoint now)
{
    if (state.value(QStringLiteral("kind")).toString() != name())
        return;
    m_slowStart = state.value(QStringLiteral("slowStart")).toBool(m_slowStart);
    const int measured = state.value(QStringLiteral("measured")).toInt(0);
    if (measured > 0)
        m_measurements = {measured};
    m_shared = state.value(QStringLiteral("shared")).toBool(false);
    m_confirmations = std::max(0, state.value(QStringLiteral("confirmations")).toInt(0));
    const int estimate = state.value(QStringLiteral("estimate")).toInt(0);
    if (estimate > 0)
        setEstimate(estimate);
    else if (!m_slowStart)
        m_estimate.reset();
    // A restart probes no sooner than a fresh episode would.
    m_nextRaiseAt = now + m_quietWindows * m_config.window;
}

} // namespace headroom::rate
