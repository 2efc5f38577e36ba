#pragma once

#include "core/clock/Clock.h"
#include "core/metrics/LaneSnapshot.h"

#include <QHash>
#include <QList>
#include <QString>

#include <chrono>

namespace headroom::metrics {

// The lanes of several runs of one process summed per rate-limit scope, for
// the console's "All" view: three imports into one workspace's 100/s scope
// plot the scope's 100/s, not one import's third of it. Each run's last
// samples count until it has been silent for kStale (an import that ended
// stops sampling); a run's lanes are grouped by the scope key the caller
// names for each (ScopeLaneConfig::processBudgetKey: the runs that share a
// budget), or kept apart when it names none.
//
// Counts and rates add up, with one exception: the runs of one scope key
// share one process budget, which never lets more than its limit out in a
// window, yet each run counts its own trailing window at its own sample
// instant (up to a sampling period apart), so their sum can read above the
// limit when the windows do not line up. A total above the scope's limit
// is that artefact, and the requests and rates are scaled down to the limit
// rather than drawn as a burst that did not happen. The scope's limit is the
// widest any run's estimate states (a run's budget learned from a 429 is its
// own share of the scope, not the scope's); the estimated headroom is that
// limit minus every run's requests in the window. The server's Remaining is
// the lowest any run last saw; latency is the slowest run's; a breaker is
// open when any is; the scope is paused only when every run is. Pure: it
// takes `now`.
class ScopeTotals
{
public:
    static constexpr std::chrono::milliseconds kStale{1000};

    // The time the totals' elapsedS counts from; forgets every run.
    void reset(TimePoint origin);
    // `scopes[i]` is the scope key of `lanes[i]` (missing or empty: a scope of its own).
    void add(const QString &run, const QList<LaneSnapshot> &lanes, const QStringList &scopes, TimePoint now);
    // One snapshot per scope of the runs heard from in the last kStale, named
    // after the scope's lane (with " (2)", " (3)" for other scopes whose lane
    // has the same name), in order of first appearance.
    QList<LaneSnapshot> totals(TimePoint now) const;
    int runCount(TimePoint now) const;

private:
    struct RunSamples
    {
        QList<LaneSnapshot> lanes;
        QStringList scopes;
        TimePoint at;
    };
    static void addTo(LaneSnapshot &total, const LaneSnapshot &lane);
    // Scales a shared scope's window count and rates down to its limit.
    // Its estimated headroom, from `capacity` (the scope's limit; -1 unknown), too.
    static void capAtLimit(LaneSnapshot &total, qint64 capacity);
    bool fresh(const RunSamples &samples, TimePoint now) const;

    TimePoint m_origin{};
    QHash<QString, RunSamples> m_runs;
    QStringList m_order;      // runs in order of first appearance
    QStringList m_scopeOrder; // scopes in order of first appearance
    QHash<QString, QString> m_scopeNames;
};

} // namespace headroom::metrics
