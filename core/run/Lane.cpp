#include "core/run/Lane.h"

#include "core/budget/ProcessBudgetLimiter.h"
#include "core/budget/ProcessBudgets.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/rate/ConcurrencyLimit.h"
#include "core/rate/GcraLimiter.h"
#include "core/rate/GrantedBudgetLimiter.h"
#include "core/rate/HeaderPacer.h"
#include "core/rate/RateSignals.h"
#include "core/rate/SlidingWindowLimiter.h"
#include "core/run/ParentScopeLimiter.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>

namespace headroom::run {

using rate::RetryPolicy;

namespace {
// Discovery's first window: few enough that a small limit costs few 429s,
// doubled every window until the first one.
constexpr int kDiscoveryStart = 8;
// A lane throttled again and again without one success waits longer each
// time, whatever the server's Retry-After says: 0 for the first two, then
// 250 ms doubling up to 30 s.
constexpr auto kStreakBase = std::chrono::milliseconds(250);
constexpr auto kStreakCap = std::chrono::seconds(30);
} // namespace

Lane::Lane(LaneConfig config, TimePoint now)
    : m_config(std::move(config))
    , m_policy(m_config.retry)
    , m_budget(m_config.budget)
    , m_breaker(m_config.breaker)
    , m_random(m_config.randomSeed ? m_config.randomSeed : quint64(now.time_since_epoch().count()))
    , m_sentWindow(m_config.window)
    , m_throttledWindow(m_config.window)
    , m_callsDoneWindow(m_config.window)
    , m_rowsDoneWindow(m_config.window)
{
    if (m_config.sharedBudget)
        m_shared = std::make_unique<budget::SharedBudgetLimiter>(*m_config.sharedBudget);
    buildStack(now);
}

Lane::~Lane() = default;

void Lane::buildStack(TimePoint now)
{
    Q_UNUSED(now);
    m_stack = rate::LimiterStack{};
    m_concurrency = static_cast<rate::ConcurrencyLimit *>(
        m_stack.add(std::make_unique<rate::ConcurrencyLimit>(std::max(1, m_config.concurrency))));
    m_configured = nullptr;
    m_bucket = nullptr;
    m_window = nullptr;
    if (m_margin == Duration::zero())
        m_margin = m_config.slidingMargin;
    if (m_config.limit && *m_config.limit > 0) {
        if (m_config.tokenBucket) {
            const double perSecond = double(*m_config.limit) / std::chrono::duration<double>(m_config.window).count();
            m_bucket = static_cast<rate::GcraLimiter *>(
                m_stack.add(std::make_unique<rate::GcraLimiter>(perSecond, m_config.burst)));
            m_configured = m_bucket;
        } else {
            m_window = static_cast<rate::SlidingWindowLimiter *>(m_stack.add(
                std::make_unique<rate::SlidingWindowLimiter>(*m_config.limit, m_config.window, m_margin)));
            m_configured = m_window;
        }
    }
    for (const scopes::ScopeWindow &extra : std::as_const(m_config.extraWindows)) {
        if (extra.limit > 0 && extra.per > Duration::zero())
            m_stack.add(std::make_unique<rate::SlidingWindowLimiter>(extra.limit, extra.per, m_config.slidingMargin));
    }
    m_pacer = nullptr;
    if (m_config.followHeaders) {
        rate::HeaderPacer::Config pacer;
        if (m_config.limit && *m_config.limit > 0)
            pacer.guessedWindow = m_config.window;
        m_pacer = static_cast<rate::HeaderPacer *>(m_stack.add(std::make_unique<rate::HeaderPacer>(pacer)));
    }
    // What the server really grants: learned from its 429s below any
    // configured limit, and the whole of discovery when none is known.
    rate::GrantedBudgetLimiter::Config granted;
    granted.window = m_config.window;
    granted.margin = m_config.slidingMargin;
    // A rebuilt stack (a new limit) continues a lane that already met the server.
    granted.firstWindowRamp = m_counters.requestsSent == 0;
    if (m_config.limit && *m_config.limit > 0)
        granted.ceiling = m_config.limit;
    else if (m_config.discover)
        granted.initial = kDiscoveryStart;
    // Imports of this process into one scope spend one budget: what the
    // server grants is learned, and bounds, for all of them together.
    std::unique_ptr<budget::ProcessBudgetLimiter> processBudget;
    if (!m_config.processBudgetKey.isEmpty() && m_config.limit && *m_config.limit > 0) {
        m_processBudget = budget::ProcessBudgets::instance().acquire(m_config.processBudgetKey, *m_config.limit,
                                                                     m_config.window, m_config.slidingMargin);
        processBudget = std::make_unique<budget::ProcessBudgetLimiter>(m_processBudget);
        granted.othersSentSince = [holder = processBudget.get()](TimePoint from, std::vector<TimePoint> &out) {
            holder->othersSentSince(from, out);
        };
    }
    m_granted = static_cast<rate::GrantedBudgetLimiter *>(
        m_stack.add(std::make_unique<rate::GrantedBudgetLimiter>(granted)));
    if (m_shared)
        m_stack.addShared(m_shared.get());
    if (processBudget)
        m_stack.add(std::move(processBudget));
    for (Lane *parent : std::as_const(m_parents))
        m_stack.add(std::make_unique<ParentScopeLimiter>(parent));
}

void Lane::addParent(Lane *parent, TimePoint now)
{
    Q_UNUSED(now);
    if (!parent || parent == this || m_parents.contains(parent))
        return;
    m_parents << parent;
    m_stack.add(std::make_unique<ParentScopeLimiter>(parent));
}

void Lane::onChildSend(TimePoint now)
{
    m_stack.onSend(now);
    ++m_childInFlight;
}

void Lane::onChildResponse(TimePoint now, const rate::ResponseObservation &observation)
{
    m_childInFlight = std::max(0, m_childInFlight - 1);
    if (observation.status != 429) {
        m_stack.onResponse(now, observation);
        return;
    }
    // The narrower scope refused it: this budget learns nothing, its slot is freed.
    rate::ResponseObservation freed;
    freed.transportError = true;
    freed.latency = observation.latency;
    freed.sentAt = observation.sentAt;
    freed.wireAt = observation.wireAt;
    m_stack.onResponse(now, freed);
}

TimePoint Lane::nextSendAt(TimePoint now) const
{
    TimePoint at = m_stack.earliestSend(now);
    // A pause the server asked for may be tested with one request.
    if (m_pauseProbe.armed() && m_stack.isPaused(now))
        at = std::min(at, std::max(m_stack.earliestSendUnpaused(now), m_pauseProbe.testAt()));
    // "Wait for a response" with none in flight would wait forever: a limiter
    // that says so has lost track. Probe again in a second rather than stall.
    if (at == TimePoint::max() && m_inFlight + m_childInFlight == 0)
        at = now + std::chrono::seconds(1);
    const auto state = m_breaker.state(now);
    if (state == rate::CircuitBreaker::State::Open)
        at = std::max(at, m_breaker.openUntil());
    return at;
}

void Lane::onWire(TimePoint sentAt, TimePoint wireAt)
{
    m_stack.onWire(sentAt, wireAt);
    m_sentWindow.move(sentAt, wireAt);
}

bool Lane::admit(TimePoint now)
{
    return m_breaker.allowRequest(now);
}

TimePoint Lane::nextRetryDue() const
{
    return m_retries.empty() ? TimePoint::max() : m_retries.begin()->first;
}

std::optional<Job> Lane::takeDueRetry(TimePoint now)
{
    if (m_retries.empty() || m_retries.begin()->first > now)
        return std::nullopt;
    Job job = std::move(m_retries.begin()->second);
    m_retries.erase(m_retries.begin());
    return job;
}

QList<Job> Lane::takeAllRetries()
{
    QList<Job> out;
    for (auto &entry : m_retries)
        out << std::move(entry.second);
    m_retries.clear();
    return out;
}

void Lane::onSend(TimePoint now, Job &job)
{
    if (job.attempt == 0) {
        job.firstSentAt = now;
        m_budget.onRequest(now);
    }
    ++job.attempt;
    job.lastSentAt = now;
    if (m_pauseProbe.armed() && m_stack.isPaused(now))
        m_pauseProbe.sent(now);
    m_stack.onSend(now);
    ++m_inFlight;
    ++m_counters.requestsSent;
    m_sentWindow.add(now); // moved to its wire time by onWire
}

void Lane::onAbandoned(TimePoint now)
{
    rate::ResponseObservation observation;
    observation.transportError = true;
    m_stack.onResponse(now, observation);
    m_inFlight = std::max(0, m_inFlight - 1);
}

void Lane::onRowsDone(TimePoint wireAt, qint64 rows)
{
    m_counters.rowsDone += rows;
    ++m_counters.callsDone;
    m_callsDoneWindow.add(wireAt);
    m_rowsDoneWindow.add(wireAt, rows);
}

RetryPolicy::Decision Lane::onResult(TimePoint now, Job &job, const rate::ResponseObservation &observation,
                                     bool mayResend)
{
    m_inFlight = std::max(0, m_inFlight - 1);
    m_stack.onResponse(now, observation);
    if (m_pauseProbe.isTest(job.lastSentAt) && m_pauseProbe.answered(observation.status))
        m_stack.clearPause(); // the server accepted again: its Retry-After was rounding
    if (m_window && m_pacer)
        m_window->setDeferring(m_pacer->followsReports());
    m_breaker.onResponse(now, observation);
    m_sampler.recordLatency(now, observation.latency);

    const int status = observation.status;
    job.lastStatus = status;
    if (status > 0) {
        ++m_counters.responses;
        if (status >= 200 && status < 300)
            ++m_counters.responses2xx;
        else if (status == 429) {
            ++m_counters.responses429;
            // At its request's wire time, so a window never holds more 429s than sends.
            m_throttledWindow.add(observation.wireAt != TimePoint{} ? observation.wireAt : job.lastSentAt);
        } else if (status >= 500)
            ++m_counters.responses5xx;
        else if (status >= 400)
            ++m_counters.otherErrors;
    } else if (observation.timedOut) {
        ++m_counters.timeouts;
    } else {
        ++m_counters.transportErrors;
    }

    if (const rate::RateSignals *s = observation.rateSignals) {
        if (s->remaining)
            m_lastRemaining = s->remaining;
        else if (s->remainingPoints)
            m_lastRemaining = s->remainingPoints;
        if (auto limit = s->impliedLimit())
            m_lastLimit = limit;
        if (s->resetAt)
            m_lastResetAt = s->resetAt;
    }

    const bool throttled = status == 429;
    if (throttled)
        onThrottled(now, job, observation);
    if (throttled && observation.rateSignals)
        learnStatedLimit(now, *observation.rateSignals);
    else
        adaptMargin(now, false);
    if (status >= 200 && status < 300)
        m_throttleStreak = 0;

    // Throttles spend no attempt and start no deadline: a row is given up
    // for what is wrong with it, never one by one for the server's pace.
    const int attempts = job.attempt - job.throttled;
    const TimePoint deadlineFrom = job.firstErrorAt != TimePoint{} ? job.firstErrorAt : now;
    RetryPolicy::Decision decision =
        m_policy.decide(attempts, deadlineFrom, observation, now, m_random, job.lastDelay, &m_budget);
    bool serverPause = false;
    if (decision.classification.outcome == RetryPolicy::Outcome::Throttled) {
        ++job.throttled;
        serverPause = decision.kind == RetryPolicy::Decision::Kind::PauseLane;
        const TimePoint streakHold = now + streakBackoff();
        if (streakHold > now && streakHold > decision.at) {
            serverPause = false;
            decision.kind = RetryPolicy::Decision::Kind::PauseLane;
            decision.at = streakHold;
            decision.delay = streakHold - now;
            decision.reason = QCoreApplication::translate("Lane", "%1; throttled %2 times in a row, lane paused for %3 ms")
                                  .arg(decision.classification.reason)
                                  .arg(m_throttleStreak)
                                  .arg(std::chrono::duration_cast<std::chrono::milliseconds>(decision.delay).count());
        }
    } else if (decision.classification.outcome == RetryPolicy::Outcome::Retryable && job.firstErrorAt == TimePoint{}) {
        job.firstErrorAt = now;
    }
    if (!mayResend && decision.kind == RetryPolicy::Decision::Kind::RetryAt
        && decision.classification.outcome == RetryPolicy::Outcome::Retryable) {
        decision.kind = RetryPolicy::Decision::Kind::DeadLetter;
        decision.budgetSpent = 0;
        decision.delay = {};
        decision.at = now;
        decision.reason = QCoreApplication::translate("Lane", "%1: may have been applied \u2014 check before re-driving")
                              .arg(decision.classification.reason);
    }
    switch (decision.kind) {
    case RetryPolicy::Decision::Kind::Done:
        m_budget.onSuccess(now, job.budgetSpent);
        break;
    case RetryPolicy::Decision::Kind::PauseLane:
        if (serverPause)
            maybeTestPause(now, observation, decision.delay);
        m_stack.pauseUntil(decision.at, decision.reason);
        [[fallthrough]];
    case RetryPolicy::Decision::Kind::RetryAt:
        job.budgetSpent += decision.budgetSpent;
        job.lastDelay = decision.delay;
        ++m_counters.retries;
        m_retries.emplace(decision.at, job);
        break;
    case RetryPolicy::Decision::Kind::DeadLetter:
    case RetryPolicy::Decision::Kind::SplitBatch:
        break;
    }
    return decision;
}

void Lane::onThrottled(TimePoint now, const Job &job, const rate::ResponseObservation &observation)
{
    // An episode is a throttle of a request sent after the lane last reacted
    // to one; the answers to what was already out are its echoes.
    if (job.lastSentAt >= m_streakReactedAt) {
        ++m_throttleStreak;
        m_streakReactedAt = now;
    }
    // The granted budget tells a full configured window that met arrival
    // jitter (it learns nothing) from a server that grants less.
    const bool windowWasFull = !m_granted || !m_granted->estimate();
    if (rate::GrantedBudgetLimiter::teaches(observation) && windowWasFull)
        adaptMargin(now, true);
}

void Lane::learnStatedLimit(TimePoint now, const rate::RateSignals &rateSignals)
{
    // The refusing scope says what it allows: a lane that knew no limit, or a
    // higher one, paces at it from now on. A higher stated limit is another
    // scope's (or a ceiling the operator chose below it) and changes nothing.
    if (!rateSignals.statedLimit || !rateSignals.statedWindow || *rateSignals.statedWindow <= Duration::zero())
        return;
    const int stated = int(std::min<qint64>(*rateSignals.statedLimit, std::numeric_limits<int>::max()));
    const Duration window = *rateSignals.statedWindow;
    if (m_config.limit && *m_config.limit > 0) {
        const double known = double(*m_config.limit) / std::chrono::duration<double>(m_config.window).count();
        const double told = double(stated) / std::chrono::duration<double>(window).count();
        if (told >= known)
            return;
    }
    setLimit(stated, window, now);
}

void Lane::maybeTestPause(TimePoint now, const rate::ResponseObservation &observation, Duration pause)
{
    // Only a pause that starts now, on a refusal of the kind the granted
    // budget learns from, while the lane paces at a known budget (what it
    // learned, or the configured limit), and no longer than one window in
    // Retry-After's whole seconds: a longer one means what it says.
    using std::chrono::seconds;
    if (m_stack.isPaused(now) || !m_granted || !rate::GrantedBudgetLimiter::teaches(observation))
        return;
    const std::optional<int> budget = m_granted->estimate() ? m_granted->estimate() : m_config.limit;
    const Duration window = m_granted->estimate() ? m_granted->window() : m_config.window;
    if (!budget || *budget <= 0 || std::chrono::round<seconds>(pause) > std::chrono::ceil<seconds>(window))
        return;
    m_pauseProbe.arm(now + window / *budget);
}

Duration Lane::streakBackoff() const
{
    if (m_throttleStreak <= 2)
        return Duration::zero();
    const int doublings = std::min(m_throttleStreak - 3, 16);
    return std::min<Duration>(kStreakCap, kStreakBase * (1 << doublings));
}

void Lane::adaptMargin(TimePoint now, bool throttled)
{
    if (!m_window)
        return;
    const Duration ceiling = m_config.window / 10; // never spend more than 10 % of the rate on it
    if (throttled) {
        // A 429 although our window matches the server's: arrivals jitter more
        // than we allowed for. Double the allowance (at least 10 ms).
        const Duration grown = std::min(ceiling, std::max(m_margin * 2, Duration(std::chrono::milliseconds(10))));
        if (grown > m_margin) {
            m_margin = grown;
            m_window->setMargin(m_margin);
        }
        m_marginChangedAt = now;
        return;
    }
    // Quiet for ten windows: give back a tenth, down to the configured margin.
    if (m_margin > m_config.slidingMargin && now - m_marginChangedAt > m_config.window * 10) {
        m_margin = std::max(m_config.slidingMargin, m_margin * 9 / 10);
        m_window->setMargin(m_margin);
        m_marginChangedAt = now;
    }
}

void Lane::setLimit(std::optional<int> limit, Duration window, TimePoint now)
{
    // Rebuilding loses the sliding window's memory of recent sends, which
    // would let a burst through; keep the old stack's pause and carry on.
    const TimePoint pausedUntil = m_stack.pausedUntil();
    const QString pauseReason = m_stack.pauseReason();
    const int inFlight = m_inFlight + m_childInFlight;
    m_config.limit = limit;
    m_config.window = window;
    for (metrics::TrailingWindowCount *count : {&m_sentWindow, &m_throttledWindow, &m_callsDoneWindow, &m_rowsDoneWindow})
        count->setWindow(window);
    if (m_shared && limit)
        m_shared->setLimit(*limit, window);
    buildStack(now);
    for (int i = 0; i < inFlight; ++i)
        m_concurrency->onSend(now);
    if (pausedUntil > now)
        m_stack.pauseUntil(pausedUntil, pauseReason);
}

void Lane::setConcurrency(int concurrency)
{
    m_config.concurrency = std::max(1, concurrency);
    m_concurrency->setMaxInFlight(m_config.concurrency);
}

metrics::LaneSnapshot Lane::sample(TimePoint now, TimePoint runStart, qint64 heldBack, bool operatorPaused)
{
    metrics::LaneSnapshot s;
    s.lane = m_config.name;
    s.elapsedS = std::chrono::duration<double>(now - runStart).count();
    s.remaining = m_lastRemaining.value_or(-1);
    s.limit = m_lastLimit.value_or(m_config.limit.value_or(-1));
    s.resetInS = m_lastResetAt ? std::max(0.0, std::chrono::duration<double>(*m_lastResetAt - now).count()) : -1;
    s.queueDepth = qint64(m_retries.size()) + heldBack;
    s.inFlight = m_inFlight;
    for (metrics::TrailingWindowCount *count : {&m_sentWindow, &m_throttledWindow, &m_callsDoneWindow, &m_rowsDoneWindow})
        count->prune(now);
    s.rateWindowS = std::chrono::duration<double>(m_sentWindow.window()).count();
    s.sentInWindow = m_sentWindow.count(now);
    s.sentPerS = m_sentWindow.perSecond(now);
    s.donePerS = m_callsDoneWindow.perSecond(now);
    s.rowsPerS = m_rowsDoneWindow.perSecond(now);
    s.throttledPerS = m_throttledWindow.perSecond(now);
    if (!m_lastRemaining)
        s.estimatedRemaining = estimatedRemaining(now);
    s.responses429 = m_counters.responses429;
    s.retries = m_counters.retries;
    s.requests = m_counters.requestsSent;
    s.rowsDone = m_counters.rowsDone;
    s.rowsFailed = m_counters.rowsFailed;
    s.latencyP50Ms = m_sampler.latencyPercentileMs(50);
    s.latencyP95Ms = m_sampler.latencyPercentileMs(95);
    // Sampling is not demand: the shared budget must not reserve slots for it.
    if (m_shared)
        m_shared->setQuiet(true);
    s.pacingRate = m_stack.currentRate(now);
    if (m_config.limit)
        s.configuredLimitPerS = double(*m_config.limit) / std::chrono::duration<double>(m_config.window).count();
    s.breakerState = rate::CircuitBreaker::stateName(m_breaker.state(now));
    const auto binding = m_stack.binding(now);
    s.bindingLimiter = binding.until > now ? binding.limiter : QString();
    if (m_shared) {
        m_shared->setQuiet(false);
        s.budgetMode = budget::SharedBudgetLimiter::modeName(m_shared->mode());
        s.budgetUsePerS = m_shared->budgetUsePerS(now);
        s.budgetLimitPerS = double(m_shared->limit()) / std::chrono::duration<double>(m_shared->period()).count();
        s.budgetProcesses = m_shared->processesSeen();
    }
    s.paused = operatorPaused || m_stack.isPaused(now);
    if (operatorPaused)
        s.pauseReason = QStringLiteral("paused by operator");
    else if (m_stack.isPaused(now))
        s.pauseReason = m_stack.pauseReason();
    else if (m_breaker.state(now) == rate::CircuitBreaker::State::Open)
        s.pauseReason = QStringLiteral("circuit breaker open");
    return s;
}

qint64 Lane::estimatedRemaining(TimePoint now) const
{
    if (m_bucket)
        return qint64(m_bucket->tokens(now));
    std::optional<int> budget = m_config.limit && *m_config.limit > 0 ? m_config.limit : std::nullopt;
    if (m_granted && m_granted->estimate())
        budget = budget ? std::min(*budget, *m_granted->estimate()) : m_granted->estimate();
    if (!budget)
        return -1;
    return std::max<qint64>(0, *budget - m_sentWindow.count(now));
}

QJsonObject Lane::saveState(TimePoint now, WallTime wallNow) const
{
    QJsonObject o;
    o[QStringLiteral("lane")] = m_config.name;
    if (m_window)
        o[QStringLiteral("window")] = m_window->saveState(now, wallNow);
    if (m_pacer)
        o[QStringLiteral("headers")] = m_pacer->saveState(now, wallNow);
    if (m_granted)
        o[QStringLiteral("granted")] = m_granted->saveState();
    o[QStringLiteral("margin_us")] = qint64(std::chrono::duration_cast<std::chrono::microseconds>(m_margin).count());
    return o;
}

void Lane::restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow)
{
    if (m_window && state.value(QLatin1String("window")).isObject()) {
        m_window->restoreState(state.value(QLatin1String("window")).toObject(), now, wallNow);
        // The server still counts them: so do the charts and the estimated headroom.
        for (const TimePoint sent : m_window->sends())
            m_sentWindow.add(sent);
    }
    if (m_pacer && state.value(QLatin1String("headers")).isObject())
        m_pacer->restoreState(state.value(QLatin1String("headers")).toObject(), now, wallNow);
    if (m_granted && state.value(QLatin1String("granted")).isObject())
        m_granted->restoreState(state.value(QLatin1String("granted")).toObject(), now);
    if (m_window && m_pacer)
        m_window->setDeferring(m_pacer->followsReports());
    const qint64 marginUs = state.value(QLatin1String("margin_us")).toInteger(-1);
    if (m_window && marginUs >= 0) {
        // Never below the configured margin, never above a tenth of the window.
        m_margin = std::clamp(Duration(std::chrono::microseconds(marginUs)), m_config.slidingMargin,
                              std::max(m_config.slidingMargin, Duration(m_config.window / 10)));
        m_window->setMargin(m_margin);
        m_marginChangedAt = now;
    }
}

} // namespace headroom::run
