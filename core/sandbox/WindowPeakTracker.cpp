#include "core/sandbox/WindowPeakTracker.h"

#include <algorithm>

namespace headroom::sandbox {

WindowPeakTracker::WindowPeakTracker(Duration window)
    : m_window(std::max(window, Duration(1)))
{
}

void WindowPeakTracker::add(TimePoint at)
{
    while (!m_times.empty() && m_times.front() <= at - m_window)
        m_times.pop_front();
    m_times.push_back(at);
    m_peak = std::max(m_peak, int(m_times.size()));
}

} // namespace headroom::sandbox
