#include "core/rate/SlidingWindowLimiter.h"

#include <QJsonArray>

#include <algorithm>

namespace headroom::rate {

SlidingWindowLimiter::SlidingWindowLimiter(int limit, Duration window, Duration margin)
    : m_limit(std::max(1, limit))
    , m_window(std::max(Duration(1), window))
    , m_margin(std::max(Duration::zero(), margin))
{
}

TimePoint SlidingWindowLimiter::earliestSend(TimePoint now) const
{
    if (m_deferring || qsizetype(m_sends.size()) < m_limit)
        return now;
    // m_sends holds exactly the last `limit` sends; the oldest of them must be
    // window + margin behind the next one.
    return std::max(now, m_sends.front() + m_window + m_margin);
}

void SlidingWindowLimiter::onSend(TimePoint now)
{
    m_sends.push_back(now);
    while (qsizetype(m_sends.size()) > m_limit)
        m_sends.pop_front();
}

void SlidingWindowLimiter::onResponse(TimePoint now, const ResponseObservation &observation)
{
    // Only an answer tells how long the server took; and only a known send can move.
    if (observation.status == 0 || observation.wireAt == TimePoint{} || now < observation.wireAt)
        return;
    if (now - m_fastestSince >= m_window) {
        m_fastestBefore = m_fastestNow;
        m_fastestNow = Duration::max();
        m_fastestSince = now;
    }
    const Duration answer = now - observation.wireAt;
    m_fastestNow = std::min(m_fastestNow, answer);
    const Duration fastest = std::min(m_fastestNow, m_fastestBefore);
    if (fastest > std::max(m_margin * 2, m_window / 100))
        return; // a server with latency of its own: see the class comment
    const TimePoint latestCount = now - fastest;
    if (latestCount > observation.wireAt)
        moveSend(observation.wireAt, latestCount);
}

void SlidingWindowLimiter::onWire(TimePoint sentAt, TimePoint wireAt)
{
    if (wireAt > sentAt)
        moveSend(sentAt, wireAt);
}

void SlidingWindowLimiter::moveSend(TimePoint from, TimePoint later)
{
    // The record may have left the deque already (more than `limit` sends
    // since). Searched from the newest end: a send is moved within one round
    // trip, so it is near the back, and this runs on every wire time and answer.
    const auto found = std::find(m_sends.rbegin(), m_sends.rend(), from);
    if (found == m_sends.rend())
        return;
    auto it = std::prev(found.base());
    *it = later;
    // Keep the deque sorted: the oldest send must stay at the front.
    for (auto next = std::next(it); next != m_sends.end() && *next < *it; ++it, ++next)
        std::iter_swap(it, next);
}

double SlidingWindowLimiter::currentRate(TimePoint now) const
{
    Q_UNUSED(now);
    return double(m_limit) / std::chrono::duration<double>(m_window + m_margin).count();
}

QJsonObject SlidingWindowLimiter::saveState(TimePoint now, WallTime wallNow) const
{
    QJsonArray sends;
    for (TimePoint t : m_sends) {
        if (t + m_window + m_margin <= now)
            continue;
        const auto wall = wallNow - std::chrono::duration_cast<WallTime::duration>(now - t);
        sends.append(qint64(std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count()));
    }
    return QJsonObject{{QStringLiteral("kind"), name()},
                       {QStringLiteral("limit"), m_limit},
                       {QStringLiteral("windowMs"), qint64(std::chrono::duration_cast<std::chrono::milliseconds>(m_window).count())},
                       {QStringLiteral("sendsWallMs"), sends}};
}

void SlidingWindowLimiter::restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow)
{
    if (state.value(QStringLiteral("kind")).toString() != name())
        return;
    const qint64 wallNowMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(wallNow.time_since_epoch()).count();
    std::deque<TimePoint> restored;
    for (const QJsonValue &v : state.value(QStringLiteral("sendsWallMs")).toArray()) {
        const qint64 ms = qint64(v.toDouble(-1));
        if (ms < 0 || ms > wallNowMs) // from the future: the wall clock moved; drop it
            continue;
        const TimePoint t = now - std::chrono::milliseconds(wallNowMs - ms);
        if (t + m_window + m_margin > now)
            restored.push_back(t);
    }
    std::sort(restored.begin(), restored.end());
    for (TimePoint t : restored)
        m_sends.push_back(t);
    std::sort(m_sends.begin(), m_sends.end());
    while (qsizetype(m_sends.size()) > m_limit)
        m_sends.pop_front();
}

} // namespace headroom::rate
