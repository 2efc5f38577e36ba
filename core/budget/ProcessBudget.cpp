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
    for (auto it = m_claims.begin(); it != m_claims.end();) {
        if (it.value() + kClaimFor <= now)
            it = m_claims.erase(it);
        else
            ++it;
    }
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
        at = std::max(now, m_sends[m_sends.size() - size_t(free)] + m_window + m_margin);
    if (at == now)
        m_claims.insert(holder, now);
    return at;
}

void ProcessBudget::onSend(const void *holder, TimePoint now)
{
    const QMutexLocker lock(&m_mutex);
    m_claims.remove(holder);
    m_sends.insert(std::upper_bound(m_sends.begin(), m_sends.end(), now), now);
    while (qsizetype(m_sends.size()) > m_limit)
        m_sends.pop_front();
}

void ProcessBudget::onWire(TimePoint sentAt, TimePoint wireAt)
{
    if (wireAt <= sentAt)
        return;
    const QMutexLocker lock(&m_mutex);
    // The record may have left already (more than `limit` later sends).
    const auto it = std::find(m_sends.begin(), m_sends.end(), sentAt);
    if (it == m_sends.end())
        return;
    m_sends.erase(it);
    m_sends.insert(std::upper_bound(m_sends.begin(), m_sends.end(), wireAt), wireAt);
}

int ProcessBudget::sentInWindow(TimePoint now) const
{
    const QMutexLocker lock(&m_mutex);
    return int(std::count_if(m_sends.begin(), m_sends.end(), [&](TimePoint t) { return t > now - m_window && t <= now; }));
}

void ProcessBudget::release(const void *holder)
{
    const QMutexLocker lock(&m_mutex);
    m_claims.remove(holder);
}

} // namespace headroom::budget
