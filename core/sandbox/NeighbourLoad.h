#pragma once

#include "core/clock/Clock.h"

#include <QtGlobal>

#include <vector>

namespace headroom::sandbox {

// Another integration of the same workspace spending from the same budget:
// one attempt every 1/perSecond from the scope's first request on, at a
// steady pace that never backs off (a cron job or a second importer). Pure:
// it says which attempts are due by `now`; the caller makes them, in order,
// before the request that arrives at `now`.
class NeighbourLoad
{
public:
    explicit NeighbourLoad(double perSecond = 0.0);

    bool active() const { return m_perSecond > 0.0; }
    // Starts the clock at the first request; later calls change nothing.
    void start(TimePoint at);
    // The attempts in (previous call, now], oldest first.
    std::vector<TimePoint> due(TimePoint now);

private:
    double m_perSecond;
    TimePoint m_start{};
    bool m_started = false;
    qint64 m_made = 0;
};

} // namespace headroom::sandbox
