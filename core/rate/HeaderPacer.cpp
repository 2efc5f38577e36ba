#include "rate/HeaderPacer.h"

#include "rate/RateSignals.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::rate {

using namespace std::chrono_literals;

namespace {
constexpr size_t kMaxRememberedSends = 1 << 16;

qint64 toWallMs(TimePoint t, TimePoint now, WallTime wallNow)
{
    const auto wall = wallNow + std::chrono::duration_cast<WallTime::duration>(t - now);
    return std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count();
}

TimePoint fromWallMs(qint64 ms, TimePoint now, WallTime wallNow)
{
    const qint64 nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(wallNow.time_since_epoch()).count();
    return now + std::chrono::milliseconds(ms - nowMs);
}
} // namespace

HeaderPacer::HeaderPacer()
    : HeaderPacer(Config{})
{
}

HeaderPacer::HeaderPacer(Config config)
    : m_config(config)
{
}

std::optional<TimePoint> HeaderPacer::windowEnd() const
{
    if (!m_haveInfo)
        return std::nullopt;
    return m_windowEnd;
}

qint64 HeaderPacer::sendsFrom(TimePoint from) const
{
    const auto it = std::lower_bound(m_sends.begin(), m_sends.end(), from);
    return qint64(std::distance(it, m_sends.end()));
}

qint64 HeaderPacer::available(TimePoint now) const
{
    if (!m_haveInfo)
        return std::numeric_limits<qint64>::max();
    if (now < m_windowEnd) {
        // Requests sent after the reporting one are not in its `remaining`; nor,
        // perhaps, are those sent up to `arrivalMargin` before it (they may have
        // arrived after it). The reporting request itself is.
        const qint64 after = sendsFrom(m_remainingSentAt - m_config.arrivalMargin);
        return m_remaining - std::max<qint64>(0, after - 1);
    }
    // The window has passed: a fresh one, of which anything sent since, and
    // anything still out from before, may already have taken a share.
    if (!m_limit)
        return m_inFlight.empty() ? 1 : 0; // probe: one request tells us the new window
    const auto beforeEnd = std::lower_bound(m_inFlight.begin(), m_inFlight.end(), m_windowEnd);
    const qint64 outFromBefore = qint64(std::distance(m_inFlight.begin(), beforeEnd));
    return *m_limit - sendsFrom(m_windowEnd) - outFromBefore;
}

TimePoint HeaderPacer::earliestSend(TimePoint now) const
{
    if (!m_haveInfo)
        return m_probing && !m_inFlight.empty() ? TimePoint::max() : now;
    const qint64 left = available(now);
    if (now < m_windowEnd) {
        if (left <= 0)
            return std::min(m_windowEnd, now + m_config.maxHold);
        // Spread what is left evenly up to the EARLIEST the window may end, so
        // none of it lands after the end and goes to waste.
        const TimePoint spreadEnd = std::min(m_windowEnd, m_windowEndLower);
        if (spreadEnd <= m_lastSend)
            return now;
        const TimePoint paced = m_lastSend + (spreadEnd - m_lastSend) / (left + 1);
        return std::max(now, paced);
    }
    if (left <= 0)
        return TimePoint::max(); // the next response will tell
    if (m_lastSend < m_windowEnd && m_limit && m_coarseReset && !m_startModelBroken && m_windowLower
        && m_windowUpper && *m_windowUpper - *m_windowLower > 2 * m_config.arrivalMargin + 2ms) {
        // Open the next window where its reset date splits [lower, upper] in two.
        const Duration middle = (*m_windowLower + *m_windowUpper) / 2;
        const Duration toGrid = (m_reportedReset - middle) - now;
        Duration offset = toGrid % Duration(1s);
        if (offset < Duration::zero())
            offset += 1s;
        return now + offset;
    }
    if (const auto window = learnedWindow(); window && m_limit && *m_limit > 0 && m_lastSend >= m_windowEnd) {
        const TimePoint paced = m_lastSend + *window / (*m_limit + 1);
        return std::max(now, paced);
    }
    return now;
}

void HeaderPacer::onSend(TimePoint now)
{
    m_sends.push_back(now);
    m_inFlight.push_back(now);
    m_lastSend = now;
    trim();
}

void HeaderPacer::trim()
{
    TimePoint keepFrom = m_lastSend - 10min;
    if (m_haveInfo)
        keepFrom = std::min(m_remainingSentAt, m_windowEnd) - m_config.arrivalMargin - 1s;
    while (!m_sends.empty() && (m_sends.front() < keepFrom || m_sends.size() > kMaxRememberedSends))
        m_sends.pop_front();
}

void HeaderPacer::onResponse(TimePoint now, const ResponseObservation &observation)
{
    const TimePoint sentAt = now - std::max(Duration::zero(), observation.latency);
    if (!m_inFlight.empty()) {
        auto it = std::lower_bound(m_inFlight.begin(), m_inFlight.end(), sentAt);
        if (it == m_inFlight.end())
            --it;
        else if (it != m_inFlight.begin() && (sentAt - *(it - 1)) < (*it - sentAt))
            --it; // the nearest send: latency may be rounded by the caller
        m_inFlight.erase(it);
    }

    const RateSignals *s = observation.rateSignals;
    if (observation.status > 0)
        m_probing = false; // an answer came: from now on we know what the server says
    if (!s)
        return;
    if (auto limit = s->impliedLimit(); limit && *limit > 0)
        m_limit = limit;
    if (s->window && *s->window > Duration::zero()) {
        // A stated window bounds any fixed window: it opened no later than the
        // first request we saw in it.
        m_statedWindow = true;
        m_windowUpper = *s->window;
        m_windowLower.reset();
    }

    std::optional<TimePoint> resetAt = s->resetAt;
    Duration resolution = s->resetResolution;
    if (s->nextWindowAt) { // Segment's 429: exact to the millisecond
        resetAt = s->nextWindowAt;
        resolution = 1ms;
    }
    std::optional<qint64> remaining = s->remaining;
    if (s->nextWindowAt && !remaining)
        remaining = 0;
    if (!remaining || !resetAt) {
        // Some servers speak only on a 429 (Segment's Tracking API): once the
        // window they told of is over and an answer comes back silent, we know
        // nothing any more and must not keep holding the lane to one probe.
        if (m_haveInfo && observation.status > 0 && sentAt >= m_windowEnd)
            m_haveInfo = false;
        return;
    }

    if (observation.status == 429 && m_windowStartKnown && !m_statedWindow)
        m_startModelBroken = true; // our idea of where windows end was wrong

    // Whole-second absolute resets are written truncated (formatting a time
    // drops the fraction): the true reset lies in [value, value + 1 s). Deltas
    // are rounded up, as Retry-After is (rate-limiter-flexible: Math.ceil), and
    // measured from the server's answer, which we receive later still: the
    // true reset lies in [value - resolution, value].
    const bool coarseAbsolute = !s->nextWindowAt
        && (s->resetForm == ResetForm::HttpDate || s->resetForm == ResetForm::EpochSeconds);
    const TimePoint resetUpper = coarseAbsolute ? *resetAt + resolution : *resetAt;
    const TimePoint resetLower = coarseAbsolute ? *resetAt : *resetAt - resolution;
    const bool opensWindow = (s->consumed && *s->consumed == 1) || (m_limit && *remaining == *m_limit - 1);
    if (opensWindow && !m_startModelBroken && !m_statedWindow) {
        // The window opened when this request arrived, in [sentAt, sentAt + margin].
        const Duration upper = resetUpper - sentAt;
        const Duration lower = resetLower - sentAt - m_config.arrivalMargin;
        if (upper > Duration::zero())
            m_windowUpper = m_windowUpper ? std::min(*m_windowUpper, upper) : upper;
        m_windowLower = m_windowLower ? std::max(*m_windowLower, lower) : lower;
        m_coarseReset = coarseAbsolute;
        if (*m_windowLower > *m_windowUpper + 1ms) { // contradiction: windows are not opened by requests
            m_startModelBroken = true;
            m_windowUpper.reset();
            m_windowLower.reset();
        }
    }

    if (m_haveInfo && sentAt < m_remainingSentAt)
        return; // older news than what we hold

    const Duration tolerance = std::max(resolution, m_resetResolution) + 1ms;
    const bool sameWindow = m_haveInfo && *resetAt >= m_reportedReset - tolerance
        && *resetAt <= m_reportedReset + tolerance;
    if (!sameWindow) {
        // Successive resets of back-to-back windows are one window apart; the
        // smallest step seen is the window (or a multiple of it when idle).
        if (m_haveInfo && *resetAt > m_reportedReset) {
            const Duration step = *resetAt - m_reportedReset;
            m_resetStep = m_resetStep ? std::min(*m_resetStep, step) : step;
        }
        m_reportedReset = *resetAt;
        m_resetResolution = resolution;
        m_windowEnd = resetUpper;
        m_windowEndLower = resetLower;
        m_windowStartKnown = false;
    } else {
        m_windowEnd = std::min(m_windowEnd, resetUpper);
        m_windowEndLower = std::max(m_windowEndLower, resetLower);
    }
    if (opensWindow) {
        m_windowStartKnown = true;
        m_windowStartSentAt = sentAt;
    }
    if (m_windowStartKnown && m_windowUpper && !m_startModelBroken)
        m_windowEnd = std::min(m_windowEnd, m_windowStartSentAt + m_config.arrivalMargin + *m_windowUpper);
    m_windowEnd = std::max(m_windowEnd, now); // never in the past relative to this news
    m_remaining = std::max<qint64>(0, *remaining);
    m_remainingSentAt = sentAt;
    m_haveInfo = true;
}

double HeaderPacer::currentRate(TimePoint now) const
{
    if (!m_haveInfo)
        return -1.0;
    if (now < m_windowEnd) {
        const qint64 left = std::max<qint64>(0, available(now));
        return double(left) / std::chrono::duration<double>(m_windowEnd - now).count();
    }
    if (const auto window = learnedWindow(); m_limit && window)
        return double(*m_limit) / std::chrono::duration<double>(*window).count();
    return -1.0;
}

QJsonObject HeaderPacer::saveState(TimePoint now, WallTime wallNow) const
{
    QJsonObject o{{QStringLiteral("kind"), name()}};
    if (m_limit)
        o.insert(QStringLiteral("limit"), *m_limit);
    if (m_windowUpper)
        o.insert(QStringLiteral("windowMs"),
                 qint64(std::chrono::duration_cast<std::chrono::milliseconds>(*m_windowUpper).count()));
    if (m_haveInfo && m_windowEnd > now) {
        o.insert(QStringLiteral("remaining"), m_remaining);
        o.insert(QStringLiteral("remainingSentWallMs"), toWallMs(m_remainingSentAt, now, wallNow));
        o.insert(QStringLiteral("windowEndWallMs"), toWallMs(m_windowEnd, now, wallNow));
        QJsonArray sends;
        for (TimePoint t : m_sends) {
            if (t >= m_remainingSentAt - m_config.arrivalMargin)
                sends.append(toWallMs(t, now, wallNow));
        }
        o.insert(QStringLiteral("sendsWallMs"), sends);
    }
    return o;
}

void HeaderPacer::restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow)
{
    if (state.value(QStringLiteral("kind")).toString() != name())
        return;
    if (state.contains(QStringLiteral("limit")) && state.value(QStringLiteral("limit")).toDouble() > 0)
        m_limit = qint64(state.value(QStringLiteral("limit")).toDouble());
    if (state.value(QStringLiteral("windowMs")).toDouble() > 0)
        m_windowUpper = std::chrono::milliseconds(qint64(state.value(QStringLiteral("windowMs")).toDouble()));
    if (!state.contains(QStringLiteral("windowEndWallMs")))
        return;
    const TimePoint end = fromWallMs(qint64(state.value(QStringLiteral("windowEndWallMs")).toDouble()), now, wallNow);
    if (end <= now || end > now + m_config.maxHold)
        return; // over already, or a wall clock that jumped: start fresh
    m_haveInfo = true;
    m_windowEnd = end;
    m_reportedReset = end;
    m_remaining = std::max<qint64>(0, qint64(state.value(QStringLiteral("remaining")).toDouble()));
    m_remainingSentAt = std::min(now, fromWallMs(qint64(state.value(QStringLiteral("remainingSentWallMs")).toDouble()), now, wallNow));
    std::deque<TimePoint> sends;
    for (const QJsonValue &v : state.value(QStringLiteral("sendsWallMs")).toArray())
        sends.push_back(std::min(now, fromWallMs(qint64(v.toDouble()), now, wallNow)));
    std::sort(sends.begin(), sends.end());
    m_sends = sends;
    if (!m_sends.empty())
        m_lastSend = m_sends.back();
}

} // namespace headroom::rate
