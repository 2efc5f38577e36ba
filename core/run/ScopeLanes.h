#pragma once

#include "core/clock/Clock.h"
#include "core/imports/ApiCall.h"
#include "core/run/Job.h"
#include "core/run/LaneConfig.h"
#include "core/run/LaneSlot.h"
#include "core/scopes/ScopeRouter.h"

#include <QHash>
#include <QList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace headroom::run {

// The lanes of a run, in the order they open: the configured ones, and, when
// the lanes are the API's scopes, one per scope key the first time a call of
// it is read, linked to the lanes of its wider scopes. Holds the calls read
// ahead for a scope lane other than the one reading, within kLookAhead.
class ScopeLanes
{
public:
    using Slots = std::vector<std::unique_ptr<LaneSlot>>;
    // Calls read ahead of their lane's turn, at most, when lanes are scopes:
    // the reader keeps pulling for scopes that have room past calls waiting
    // for a slow one, and memory stays flat.
    static constexpr qsizetype kLookAhead = 256;

    // Told of each scope lane as it opens (its index, and the `now` it
    // opened at), once it is in place: the Dispatcher gives it connections,
    // a shared budget and observers.
    void setOnOpened(std::function<void(int, TimePoint)> onOpened) { m_onOpened = std::move(onOpened); }
    // The configured lanes; scope routing when the first has scopes.
    void open(const QList<LaneConfig> &configs, TimePoint now);

    bool scoped() const { return m_router.has_value(); }
    size_t size() const { return m_slots.size(); }
    bool empty() const { return m_slots.empty(); }
    const std::unique_ptr<LaneSlot> &operator[](size_t index) const { return m_slots[index]; }
    const std::unique_ptr<LaneSlot> &front() const { return m_slots.front(); }
    Slots::const_iterator begin() const { return m_slots.begin(); }
    Slots::const_iterator end() const { return m_slots.end(); }
    QList<Lane *> lanes() const;
    // Connections the lanes may use together (at least one each).
    int connections() const;

    // The lane of a call's scope key, opened (with the lanes of its wider
    // scopes) the first time the key is seen.
    int laneForCall(const imports::ApiCall &call, TimePoint now);
    // Queues a call read ahead on its scope's lane.
    void route(Job job, TimePoint now);
    void queue(int index, Job job);
    // The oldest call queued for `slot`, if any.
    std::optional<Job> takeRouted(LaneSlot &slot);
    bool lookAheadFull() const { return m_routedCount >= kLookAhead; }
    // Drops every call still waiting on a lane (due or not, held, routed);
    // the rows they carried, which a resume sends.
    qint64 dropWaiting();

private:
    int laneForScope(const scopes::ScopeMatch &match, TimePoint now, bool underParent = false);

    Slots m_slots;
    // Set when the lanes are the API's scopes (LaneConfig::scopes of the first).
    std::optional<scopes::ScopeRouter> m_router;
    std::optional<LaneConfig> m_base; // the first lane's config, which scope lanes derive from
    QHash<QString, int> m_laneByKey;
    qsizetype m_routedCount = 0;
    std::function<void(int, TimePoint)> m_onOpened;
};

} // namespace headroom::run
