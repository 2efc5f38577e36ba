#include "core/budget/SharedBudgetLimiter.h"

#include "core/rate/RateSignals.h"
#include "core/rate/SlidingWindowLimiter.h"

#include <algorithm>
#include <cmath>

namespace headroom::budget {

namespace {
double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}
} // namespace

SharedBudgetLimiter::SharedBudgetLimiter(SharedBudgetConfig config)
    : m_config(std::move(config))
    , m_limit(std::max(1, m_config.limit))
    , m_period(m_config.period > Duration::zero() ? m_config.period : std::chrono::seconds(1))
{
}

SharedBudgetLimiter::~SharedBudgetLimiter() = default;

QString SharedBudgetLimiter::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Connecting:
        return QStringLiteral("connecting");
    case Mode::Shared:
        return QStringLiteral("shared");
    case Mode::Fallback:
        return QStringLiteral("fallback");
    }
    return {};
}

int SharedBudgetLimiter::prefetch() const
{
    // Enough slots in hand to cover a Redis round trip and a pump at this rate,
    // few enough that slots left unused (run end, other limiters binding) cost
    // the other processes little: 2 at 100/s, 20 at 1,000/s.
    const double perSecond = double(m_limit) / seconds(m_period);
    return std::clamp(int(std::ceil(perSecond * 0.02)), 2, 32);
}

const TimePoint *SharedBudgetLimiter::firstValidGrant(TimePoint now) const
{
    // A slot used later than the jitter allowance would crowd the next
    // process's slot: such a slot is given up, not used.
    for (const TimePoint &g : m_grants) {
        if (g + m_config.jitter >= now)
            return &g;
    }
    return nullptr;
}

int SharedBudgetLimiter::grantsInHand(TimePoint now) const
{
    int n = 0;
    for (const TimePoint &g : m_grants) {
        if (g + m_config.jitter >= now)
            ++n;
    }
    return n;
}

void SharedBudgetLimiter::askForMore() const
{
    if (!m_quiet && m_demand)
        m_demand();
}

TimePoint SharedBudgetLimiter::earliestSend(TimePoint now) const
{
    switch (m_mode) {
    case Mode::Connecting:
        // Nothing granted yet: the first answer wakes the lane; without one by
        // the timeout the client switches us to the fallback.
        askForMore();
        return now + m_config.answerTimeout;
    case Mode::Fallback:
        return std::max(now, m_fallback->earliestSend(now));
    case Mode::Shared:
        break;
    }
    const TimePoint *grant = firstValidGrant(now);
    if (grantsInHand(now) < prefetch())
        askForMore();
    if (!grant)
        return now + m_config.answerTimeout;
    TimePoint at = std::max(now, *grant);
    // Back from the fallback: the sends made then are unknown to the script,
    // so for one more window this process also keeps to its fallback share.
    if (now < m_recoverUntil && m_fallback)
        at = std::max(at, m_fallback->earliestSend(now));
    return at;
}

void SharedBudgetLimiter::onSend(TimePoint now)
{
    if (m_mode == Mode::Shared) {
        while (!m_grants.empty() && m_grants.front() + m_config.jitter < now)
            m_grants.pop_front();
        if (!m_grants.empty())
            m_grants.pop_front();
    }
    if (m_fallback)
        m_fallback->onSend(now);
    m_sends.push_back(now);
    const Duration keep = m_period + 2 * m_config.jitter;
    while (!m_sends.empty() && m_sends.front() < now - keep)
        m_sends.pop_front();
}

void SharedBudgetLimiter::onResponse(TimePoint now, const rate::ResponseObservation &observation)
{
    Q_UNUSED(now);
    if (!m_config.publishHeaderLimit || !observation.rateSignals)
        return;
    const rate::RateSignals &s = *observation.rateSignals;
    const std::optional<qint64> limit = s.impliedLimit();
    if (!limit || *limit <= 0)
        return;
    const Duration window = s.window.value_or(m_period);
    const qint64 periodUs = std::chrono::duration_cast<std::chrono::microseconds>(window).count();
    if (periodUs <= 0)
        return;
    const std::pair<qint64, qint64> learned{*limit, periodUs};
    const qint64 inForceUs = std::chrono::duration_cast<std::chrono::microseconds>(m_period).count();
    if (learned == m_published || (learned.first == m_limit && learned.second == inForceUs))
        return;
    m_publish = learned;
}

std::optional<std::pair<qint64, qint64>> SharedBudgetLimiter::takePublish()
{
    std::optional<std::pair<qint64, qint64>> out;
    out.swap(m_publish);
    if (out)
        m_published = *out;
    return out;
}

double SharedBudgetLimiter::currentRate(TimePoint now) const
{
    Q_UNUSED(now);
    if (m_mode == Mode::Fallback)
        return double(fallbackLimit()) / seconds(m_period);
    return double(m_limit) / seconds(m_period + 2 * m_config.jitter) / std::max(1, m_processes);
}

int SharedBudgetLimiter::slotsWanted(TimePoint now) const
{
    if (m_mode == Mode::Connecting)
        return prefetch();
    if (m_mode == Mode::Fallback)
        return 1; // a probe: its answer brings us back
    return std::max(0, prefetch() - grantsInHand(now));
}

void SharedBudgetLimiter::onReservation(TimePoint askedAt, TimePoint answeredAt, const Reservation &reservation)
{
    m_limit = std::max<qint64>(1, reservation.limit);
    m_period = std::chrono::microseconds(std::max<qint64>(1, reservation.periodUs));
    m_processCounts.emplace_back(answeredAt, int(std::max<qint64>(1, reservation.processes)));
    while (m_processCounts.front().first < answeredAt - std::chrono::seconds(10))
        m_processCounts.pop_front();
    m_processes = 1;
    for (const auto &seen : m_processCounts)
        m_processes = std::max(m_processes, seen.second);
    // The server read its TIME somewhere between our ask and its answer; the
    // midpoint is off by at most half a round trip (well under a ms on a LAN).
    const TimePoint serverNow = askedAt + (answeredAt - askedAt) / 2;
    for (qint64 offset : reservation.offsetsUs) {
        const TimePoint g = serverNow + std::chrono::microseconds(std::max<qint64>(0, offset));
        // Later answers grant later slots, but keep the order whatever comes.
        m_grants.insert(std::upper_bound(m_grants.begin(), m_grants.end(), g), g);
    }
    m_granted.emplace_back(answeredAt, reservation.grantedTotal);
    while (m_granted.size() > 2 && m_granted.front().first < answeredAt - std::chrono::seconds(2))
        m_granted.pop_front();
    if (m_mode == Mode::Fallback) {
        m_recoverUntil = answeredAt + m_period + 2 * m_config.jitter;
        // The fallback window stays as it is: it remembers the sends it allowed.
    }
    m_mode = Mode::Shared;
}

void SharedBudgetLimiter::onUnavailable(TimePoint now)
{
    if (m_mode == Mode::Fallback)
        return;
    enterFallback(now);
}

int SharedBudgetLimiter::fallbackLimit() const
{
    const double share = m_config.fallbackShare > 0.0 ? std::min(1.0, m_config.fallbackShare)
                                                      : 1.0 / std::max(1, m_processes);
    return std::max(1, int(std::floor(double(m_limit) * share)));
}

void SharedBudgetLimiter::enterFallback(TimePoint now)
{
    Q_UNUSED(now);
    m_mode = Mode::Fallback;
    // Slots granted but not used stay spent in Redis; using them on top of the
    // local share could put this process over it.
    m_grants.clear();
    m_granted.clear();
    m_recoverUntil = TimePoint{};
    // A sliding window (not a token bucket): N processes each at
    // ⌊limit ÷ N⌋ per window can never add up to more than the limit in any
    // window, whatever their phase. Seeded with our own recent sends so the
    // switch itself cannot burst.
    m_fallback = std::make_unique<rate::SlidingWindowLimiter>(fallbackLimit(), m_period, 2 * m_config.jitter);
    for (const TimePoint &s : m_sends)
        m_fallback->onSend(s);
}

void SharedBudgetLimiter::setLimit(int limit, Duration period)
{
    if (limit <= 0 || period <= Duration::zero())
        return;
    m_config.limit = limit;
    m_config.period = period;
    if (m_mode != Mode::Shared) {
        m_limit = limit;
        m_period = period;
    }
}

double SharedBudgetLimiter::budgetUsePerS(TimePoint now) const
{
    if (m_mode != Mode::Shared || m_granted.size() < 2)
        return -1.0;
    const auto &last = m_granted.back();
    if (now - last.first > std::chrono::seconds(2))
        return -1.0;
    // Over about the last second.
    auto first = m_granted.begin();
    while (std::next(first) != m_granted.end() && last.first - std::next(first)->first >= std::chrono::seconds(1))
        ++first;
    const double dt = seconds(last.first - first->first);
    if (dt <= 0.05)
        return -1.0;
    return double(last.second - first->second) / dt;
}

} // namespace headroom::budget
