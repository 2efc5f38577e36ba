#include "core/sandbox/NeighbourLoad.h"

#include <algorithm>
#include <cmath>

namespace headroom::sandbox {

NeighbourLoad::NeighbourLoad(double perSecond)
    : m_perSecond(std::max(0.0, perSecond))
{
}

void NeighbourLoad::start(TimePoint at)
{
    if (m_started || !active())
        return;
    m_started = true;
    m_start = at;
}

std::vector<TimePoint> NeighbourLoad::due(TimePoint now)
{
    std::vector<TimePoint> times;
    if (!m_started || now < m_start)
        return times;
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    // Attempt k (k >= 1) is at start + k/perSecond; the first request itself is the client's.
    const auto at = [this](qint64 k) {
        return m_start + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(double(k) / m_perSecond));
    };
    qint64 last = qint64(std::floor(elapsed * m_perSecond));
    while (last > m_made && at(last) > now) // floating point at the boundary
        --last;
    for (qint64 k = m_made + 1; k <= last; ++k)
        times.push_back(at(k));
    m_made = std::max(m_made, last);
    return times;
}

} // namespace headroom::sandbox
