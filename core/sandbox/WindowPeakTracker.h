#pragma once

#include "core/clock/Clock.h"

#include <deque>

namespace headroom::sandbox {

// The largest number of events inside any sliding window of a given length,
// computed exactly: the count only rises at an event, so checking the window
// that ends at each event is enough. This is the sandbox's proof that it held
// its own limit.
class WindowPeakTracker
{
public:
    explicit WindowPeakTracker(Duration window = std::chrono::seconds(1));

    void add(TimePoint at); // `at` never decreases
    int peak() const { return m_peak; }
    Duration window() const { return m_window; }

private:
    Duration m_window;
    std::deque<TimePoint> m_times;
    int m_peak = 0;
};

} // namespace headroom::sandbox
