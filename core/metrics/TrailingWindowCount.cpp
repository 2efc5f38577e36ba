#include "core/metrics/TrailingWindowCount.h"

#include <algorithm>

namespace headroom::metrics {

namespace {
bool earlier(const std::pair<TimePoint, qint64> &event, TimePoint at)
{
    return event.first < at;
}
bool later(TimePoint at, const std::pair<TimePoint, qint64> &event)
{
    return at < event.first;
}
} // namespace

TrailingWindowCount::TrailingWindowCount(Duration window)
    : m_window(std::max(window, Duration(1)))
    , m_keep(m_window)
{
}

void TrailingWindowCount::setWindow(Duration window)
{
    m_window = std::max(window, Duration(1));
    m_keep = std::max(m_keep, m_window);
}

void TrailingWindowCount::add(TimePoint at, qint64 weight)
{
    if (weight == 0)
        return;
    insert(at, weight);
    while (m_events.size() > kMaxEvents)
        m_events.pop_front();
}

void TrailingWindowCount::insert(TimePoint at, qint64 weight)
{
    // Nearly always the newest: appending is the common case.
    if (m_events.empty() || m_events.back().first <= at) {
        m_events.emplace_back(at, weight);
        return;
    }
    m_events.insert(std::upper_bound(m_events.begin(), m_events.end(), at, later), {at, weight});
}

void TrailingWindowCount::move(TimePoint from, TimePoint to)
{
    if (from == to)
        return;
    const auto it = std::lower_bound(m_events.begin(), m_events.end(), from, earlier);
    if (it == m_events.end() || it->first != from)
        return; // pruned already, or never recorded
    const qint64 weight = it->second;
    if (weight > 1)
        --it->second;
    else
        m_events.erase(it);
    insert(to, 1);
}

qint64 TrailingWindowCount::count(TimePoint now) const
{
    const auto first = std::upper_bound(m_events.begin(), m_events.end(), now - m_window, later);
    const auto end = std::upper_bound(first, m_events.end(), now, later);
    qint64 sum = 0;
    for (auto it = first; it != end; ++it)
        sum += it->second;
    return sum;
}

double TrailingWindowCount::perSecond(TimePoint now) const
{
    return double(count(now)) / std::chrono::duration<double>(m_window).count();
}

void TrailingWindowCount::prune(TimePoint now)
{
    const TimePoint horizon = now - m_keep;
    while (!m_events.empty() && m_events.front().first <= horizon)
        m_events.pop_front();
}

} // namespace headroom::metrics
