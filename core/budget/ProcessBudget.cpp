#include "core/budget/ProcessBudget.h"

#include <algorithm>

namespace headroom::budget {

ProcessBudget::ProcessBudget(QString key, int limit, Duration window, Duration margin)
    : m_key(std::move(key))
    , m_window(std::max(Duration(1), window))
    // Lanes of several engine threads learn their sends' wire times late on a
    // busy machine: start from a fiftieth of the window at least.
    , m_margin(std::max({Duration::zero(), margin, m_window / 50}))
    , m_limit(std::max(1, limit))
{
}

void ProcessBudget::onThrottled()
{
    const QMutexLocker lock(&m_mutex);
    m_margin = std::min(std::max<Duration>(m_margin * 2, std::chrono::milliseconds(10)), m_window / 10);
}

Duration ProcessBudget::margin() const
{
    const QMutexLocker lock(&m_mutex);
    return m_margin;
}

int ProcessBudget::limit() const
{
    const QMutexLocker lock(&m_mutex);
    return m_limit;
}

void ProcessBudget::lowerLimit(int limit)
{
    const QMutexLocker lock(&m_mutex);
    m_limit = std::clamp(limit, 1, m_limit);
    while (qsizetype(m_sends.size()) > m_limit)
        m_sends.pop_front();
}

void ProcessBudget::dropExpiredClaims(TimePoint now)
{
    for (auto *hash : {&m_claims, &m_waiting}) {
        for (auto it = hash->begin(); it != hash->end();) {
            if (it.value() + kClaimFor <= now)
                it = hash->erase(it);
            else
                ++it;
        }
    }
}

int ProcessBudget::sentInWindowBy(const void *holder, TimePoint now) const
{
    return int(std::count_if(m_sends.begin(), m_sends.end(),
                             [&](const Sent &s) { return s.holder == holder && s.at > now - m_window; }));
}

std::optional<TimePoint> ProcessBudget::yieldTo(const void *holder, TimePoint at, TimePoint now) const
{
    std::optional<TimePoint> turn;
    int mine = -1;
    for (auto it = m_waiting.cbegin(); it != m_waiting.cend(); ++it) {
        if (it.key() == holder || it.value() > at)
            continue;
        if (mine < 0)
            mine = sentInWindowBy(holder, now);
        if (sentInWindowBy(it.key(), now) < mine)
            turn = turn ? std::min(*turn, it.value()) : it.value();
    }
    return turn;
}

TimePoint ProcessBudget::earliestSend(const void *holder, TimePoint now)
{
    const QMutexLocker lock(&m_mutex);
    dropExpiredClaims(now);
    const int othersClaimed = int(m_claims.size()) - (m_claims.contains(holder) ? 1 : 0);
    const int free = m_limit - othersClaimed; // slots the sends may use
    if (free <= 0) {
        TimePoint firstExpiry = TimePoint::max();
        for (auto it = m_claims.cbegin(); it != m_claims.cend(); ++it) {
            if (it.key() != holder)
                firstExpiry = std::min(firstExpiry, it.value() + kClaimFor);
        }
        return firstExpiry;
    }
    // One more send fits when the free-th most recent send is a window
    // (plus margin) old.
    TimePoint at = now;
    if (qsizetype(m_sends.size()) >= free)
        at = std::max(now, m_sends[m_sends.size() - size_t(free)].at + m_window + m_margin);
    if (const std::optional<TimePoint> turn = yieldTo(holder, at, now))
        at = std::max(at, *turn + std::chrono::milliseconds(1));
    if (at == now) {
        m_claims.insert(holder, now);
        m_waiting.remove(holder);
    } else {
        m_waiting.insert(holder, at);
    }
    return at;
}

void ProcessBudget::onSend(const void *holder, TimePoint now)
{
    const QMutexLocker lock(&m_mutex);
    m_claims.remove(holder);
    m_waiting.remove(holder);
    const auto later = [](TimePoint t, const Sent &s) { return t < s.at; };
    m_sends.insert(std::upper_bound(m_sends.begin(), m_sends.end(), now, later), Sent{now, holder});
    while (qsizetype(m_sends.size()) > m_limit)
        m_sends.pop_front();
}

void ProcessBudget::onWire(TimePoint sentAt, TimePoint wireAt)
{
    if (wireAt <= sentAt)
        return;
    const QMutexLocker lock(&m_mutex);
    // The record may have left already (more than `limit` later sends).
    const auto it = std::find_if(m_sends.begin(), m_sends.end(), [sentAt](const Sent &s) { return s.at == sentAt; });
    if (it == m_sends.end())
        return;
    const void *holder = it->holder;
    m_sends.erase(it);
    const auto later = [](TimePoint t, const Sent &s) { return t < s.at; };
    m_sends.insert(std::upper_bound(m_sends.begin(), m_sends.end(), wireAt, later), Sent{wireAt, holder});
}

int ProcessBudget::sentInWindow(TimePoint now) const
{
    const QMutexLocker lock(&m_mutex);
    return int(std::count_if(m_sends.begin(), m_sends.end(),
                             [&](const Sent &s) { return s.at > now - m_window && s.at <= now; }));
}

void ProcessBudget::othersSentSince(const void *holder, TimePoint from, std::vector<TimePoint> &out) const
{
    const QMutexLocker lock(&m_mutex);
    for (auto it = m_sends.rbegin(); it != m_sends.rend() && it->at > from; ++it) {
        if (it->holder != holder)
            out.push_back(it->at);
    }
}

void ProcessBudget::release(const void *holder)
{
    const QMutexLocker lock(&m_mutex);
    m_claims.remove(holder);
    m_waiting.remove(holder);
}

} // namespace headroom::budget
