#include "core/run/ScopeLanes.h"

#include "core/run/RunLogging.h"
#include "core/run/ScopeLaneConfig.h"

#include <algorithm>

namespace headroom::run {

void ScopeLanes::open(const QList<LaneConfig> &configs, TimePoint now)
{
    for (const LaneConfig &config : configs)
        m_slots.push_back(std::make_unique<LaneSlot>(config, now));
    if (!configs.isEmpty() && configs.first().scopes) {
        m_base = configs.first();
        m_router.emplace(*configs.first().scopes);
        m_laneByKey.insert(scopes::ScopeSet::mainName(), 0);
    }
}

QList<Lane *> ScopeLanes::lanes() const
{
    QList<Lane *> out;
    for (const auto &slot : m_slots)
        out << slot->lane.get();
    return out;
}

int ScopeLanes::connections() const
{
    int total = 0;
    for (const auto &slot : m_slots)
        total += std::max(1, slot->lane->config().concurrency);
    return total;
}

int ScopeLanes::laneForCall(const imports::ApiCall &call, TimePoint now)
{
    const scopes::ScopeRoute route = m_router->route(QString::fromLatin1(call.method), call.path);
    QList<int> parents;
    for (const scopes::ScopeMatch &parent : route.parents)
        parents << laneForScope(parent, now);
    const int index = laneForScope(route.lane, now, !parents.isEmpty());
    Lane &lane = *m_slots[size_t(index)]->lane;
    for (int parent : std::as_const(parents))
        lane.addParent(m_slots[size_t(parent)]->lane.get(), now);
    return index;
}

int ScopeLanes::laneForScope(const scopes::ScopeMatch &match, TimePoint now, bool underParent)
{
    if (const auto it = m_laneByKey.constFind(match.key); it != m_laneByKey.cend())
        return *it;
    const LaneConfig config = ScopeLaneConfig::derive(*m_base, match, underParent);
    const int index = int(m_slots.size());
    m_slots.push_back(std::make_unique<LaneSlot>(config, now));
    m_laneByKey.insert(match.key, index);
    qCInfo(lcRun).noquote() << "scope lane" << config.name << "opened";
    if (m_onOpened)
        m_onOpened(index, now);
    return index;
}

void ScopeLanes::route(Job job, TimePoint now)
{
    // The lane first: an argument moved from the job may be made before it.
    const int index = laneForCall(job.call, now);
    queue(index, std::move(job));
}

void ScopeLanes::queue(int index, Job job)
{
    m_slots[size_t(index)]->routed.push_back(std::move(job));
    ++m_routedCount;
}

std::optional<Job> ScopeLanes::takeRouted(LaneSlot &slot)
{
    if (slot.routed.empty())
        return std::nullopt;
    Job job = std::move(slot.routed.front());
    slot.routed.pop_front();
    --m_routedCount;
    return job;
}

qint64 ScopeLanes::dropWaiting()
{
    qint64 rows = 0;
    for (const auto &slot : m_slots) {
        for (const Job &job : slot->lane->takeAllRetries())
            rows += job.call.rows.size();
        for (const Job &job : slot->held)
            rows += job.call.rows.size();
        for (const Job &job : slot->routed)
            rows += job.call.rows.size();
        slot->held.clear();
        slot->routed.clear();
    }
    m_routedCount = 0;
    return rows;
}

} // namespace headroom::run
