#pragma once

#include "core/clock/Clock.h"

#include <QString>

#include <chrono>

namespace headroom::run {

// The give-up bound's view of a run: when a row last finished (done or
// dead-lettered), and whether the run has gone longer than the bound without
// one. The Dispatcher's timer asks it when to look again.
class ProgressWatch
{
public:
    // No bound (the default) is Duration::max(): the run never gives up.
    void setBound(Duration after) { m_bound = after; }
    Duration bound() const { return m_bound; }
    bool bounded() const { return m_bound != Duration::max(); }

    // A row finished, or a wait that is no stall (the start, an operator's
    // pause) ended: the bound counts from `now`.
    void noteProgress(TimePoint now) { m_lastProgressAt = now; }
    bool stalled(TimePoint now) const { return now - m_lastProgressAt >= m_bound; }
    // How long until the bound runs out, within what a QTimer takes (a longer
    // bound is looked at again).
    std::chrono::milliseconds timeLeft(TimePoint now) const;
    // The bound as the operator wrote it: "30m", "2h", "90s".
    QString spokenBound() const;

private:
    Duration m_bound = Duration::max();
    TimePoint m_lastProgressAt{};
};

} // namespace headroom::run
