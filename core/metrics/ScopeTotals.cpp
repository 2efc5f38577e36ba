#include "core/metrics/ScopeTotals.h"

#include <algorithm>

namespace headroom::metrics {

namespace {

int breakerRank(const QString &state)
{
    if (state == QLatin1String("open"))
        return 2;
    return state == QLatin1String("half-open") ? 1 : 0;
}

// A lane's own limit in its window, as its estimate implies (-1: none).
qint64 capacityOf(const LaneSnapshot &lane)
{
    return lane.estimatedRemaining >= 0 ? lane.estimatedRemaining + lane.sentInWindow : -1;
}

qint64 widestKnown(qint64 a, qint64 b)
{
    return std::max(a, b); // -1: unknown
}

} // namespace

void ScopeTotals::reset(TimePoint origin)
{
    m_origin = origin;
    m_runs.clear();
    m_order.clear();
    m_scopeOrder.clear();
    m_scopeNames.clear();
}

void ScopeTotals::add(const QString &run, const QList<LaneSnapshot> &lanes, const QStringList &scopes, TimePoint now)
{
    if (!m_runs.contains(run))
        m_order << run;
    QStringList keys;
    for (qsizetype i = 0; i < lanes.size(); ++i) {
        QString key = i < scopes.size() ? scopes.at(i) : QString();
        if (key.isEmpty())
            key = run + QLatin1Char('\n') + lanes.at(i).lane; // no budget shared: a scope of its own
        if (!m_scopeNames.contains(key)) {
            QString name = lanes.at(i).lane;
            int same = 1;
            for (const QString &taken : std::as_const(m_scopeNames)) {
                if (taken == name || taken.startsWith(name + QLatin1String(" (")))
                    ++same;
            }
            if (same > 1)
                name += QStringLiteral(" (%1)").arg(same);
            m_scopeNames.insert(key, name);
            m_scopeOrder << key;
        }
        keys << key;
    }
    m_runs.insert(run, RunSamples{lanes, keys, now});
}

bool ScopeTotals::fresh(const RunSamples &samples, TimePoint now) const
{
    return now - samples.at <= kStale;
}

int ScopeTotals::runCount(TimePoint now) const
{
    return int(std::count_if(m_runs.cbegin(), m_runs.cend(), [&](const RunSamples &s) { return fresh(s, now); }));
}

void ScopeTotals::addTo(LaneSnapshot &total, const LaneSnapshot &lane)
{
    total.queueDepth += lane.queueDepth;
    total.inFlight += lane.inFlight;
    total.sentInWindow += lane.sentInWindow;
    total.rateWindowS = std::max(total.rateWindowS, lane.rateWindowS);
    total.sentPerS += lane.sentPerS;
    total.donePerS += lane.donePerS;
    total.rowsPerS += lane.rowsPerS;
    total.throttledPerS += lane.throttledPerS;
    total.responses429 += lane.responses429;
    total.retries += lane.retries;
    total.requests += lane.requests;
    total.rowsDone += lane.rowsDone;
    total.rowsFailed += lane.rowsFailed;
    if (lane.remaining >= 0 && (total.remaining < 0 || lane.remaining < total.remaining)) {
        total.remaining = lane.remaining;
        total.limit = lane.limit;
        total.resetInS = lane.resetInS;
    }
    total.latencyP50Ms = std::max(total.latencyP50Ms, lane.latencyP50Ms);
    total.latencyP95Ms = std::max(total.latencyP95Ms, lane.latencyP95Ms);
    if (lane.pacingRate >= 0)
        total.pacingRate = std::max(0.0, total.pacingRate) + lane.pacingRate;
    if (lane.configuredLimitPerS >= 0)
        total.configuredLimitPerS = total.configuredLimitPerS < 0 ? lane.configuredLimitPerS
                                                                  : std::min(total.configuredLimitPerS, lane.configuredLimitPerS);
    if (breakerRank(lane.breakerState) > breakerRank(total.breakerState))
        total.breakerState = lane.breakerState;
    if (!lane.paused) {
        total.paused = false;
        total.pauseReason.clear();
    }
    if (total.bindingLimiter.isEmpty())
        total.bindingLimiter = lane.bindingLimiter;
    if (total.budgetMode.isEmpty()) {
        total.budgetMode = lane.budgetMode;
        total.budgetLimitPerS = lane.budgetLimitPerS;
        total.budgetProcesses = lane.budgetProcesses;
    }
    total.budgetUsePerS = std::max(total.budgetUsePerS, lane.budgetUsePerS);
}

void ScopeTotals::capAtLimit(LaneSnapshot &total, qint64 capacity)
{
    total.estimatedRemaining = capacity >= 0 ? std::max<qint64>(0, capacity - total.sentInWindow) : -1;
    if (capacity <= 0 || total.sentInWindow <= capacity)
        return;
    const double scale = double(capacity) / double(total.sentInWindow);
    total.sentInWindow = capacity;
    total.sentPerS *= scale;
    total.donePerS *= scale;
    total.rowsPerS *= scale;
}

QList<LaneSnapshot> ScopeTotals::totals(TimePoint now) const
{
    QHash<QString, LaneSnapshot> byScope;
    // The scope's limit: the widest any run states, since a run's budget
    // learned from a 429 is its own share of the scope, not the scope's.
    QHash<QString, qint64> capacities;
    for (const QString &run : m_order) {
        const RunSamples &samples = m_runs[run];
        if (!fresh(samples, now))
            continue;
        for (qsizetype i = 0; i < samples.lanes.size(); ++i) {
            const QString &key = samples.scopes.at(i);
            capacities[key] = widestKnown(capacities.value(key, -1), capacityOf(samples.lanes.at(i)));
            auto it = byScope.find(key);
            if (it == byScope.end()) {
                it = byScope.insert(key, samples.lanes.at(i)); // the first run's lane as it is
                continue;
            }
            addTo(*it, samples.lanes.at(i));
        }
    }
    QList<LaneSnapshot> totals;
    const double elapsedS = std::chrono::duration<double>(now - m_origin).count();
    for (const QString &key : m_scopeOrder) {
        auto it = byScope.find(key);
        if (it == byScope.end())
            continue;
        it->lane = m_scopeNames.value(key);
        it->elapsedS = elapsedS;
        capAtLimit(*it, capacities.value(key, -1));
        totals << *it;
    }
    return totals;
}

} // namespace headroom::metrics
