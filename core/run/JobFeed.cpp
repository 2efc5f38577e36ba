#include "core/run/JobFeed.h"

#include "core/run/RowSettler.h"
#include "core/run/ScopeLanes.h"

namespace headroom::run {

JobFeed::JobFeed(imports::CallSource *source, ScopeLanes &lanes, RunSummary &summary, RowSettler &settler,
                 quint64 &nextJobId)
    : m_source(source)
    , m_lanes(lanes)
    , m_summary(summary)
    , m_settler(settler)
    , m_nextJobId(nextJobId)
{
}

std::optional<Job> JobFeed::nextFor(LaneSlot &slot, TimePoint now)
{
    if (m_lanes.scoped())
        return pullFor(slot, now);
    if (m_readAhead) {
        std::optional<Job> job = std::move(m_readAhead);
        m_readAhead.reset();
        return job;
    }
    return read();
}

std::optional<Job> JobFeed::read()
{
    if (m_sourceDone)
        return std::nullopt;
    std::optional<imports::ApiCall> call = m_source->next();
    m_settler.reportBadRows(m_source->takeProblems());
    if (!call) {
        m_sourceDone = true;
        if (m_source->hasFatalError() && m_summary.error.isEmpty())
            m_summary.error = m_source->fatalError().toText();
        return std::nullopt;
    }
    m_summary.rowsTotal += call->rows.size();
    Job job;
    job.id = m_nextJobId++;
    job.call = std::move(*call);
    return job;
}

std::optional<Job> JobFeed::pullFor(LaneSlot &slot, TimePoint now)
{
    while (!m_lanes.lookAheadFull()) {
        std::optional<Job> job = std::move(m_readAhead);
        m_readAhead.reset();
        if (!job)
            job = read();
        if (!job)
            return std::nullopt;
        const int index = m_lanes.laneForCall(job->call, now);
        if (m_lanes[size_t(index)].get() == &slot)
            return job;
        m_lanes.queue(index, std::move(*job));
        m_routedElsewhere = true;
    }
    return std::nullopt;
}

JobFeed::End JobFeed::lookForEnd(TimePoint now)
{
    if (m_readAhead)
        return End::NotYet;
    if (!m_sourceDone && m_lanes.scoped()) {
        // The call goes to its own lane, which may be free now.
        if (std::optional<Job> job = read()) {
            m_lanes.route(std::move(*job), now);
            return End::Routed;
        }
    }
    if (!m_sourceDone) {
        // The lanes ask for a call only when they may send: after a last row
        // sent into a full window, that is up to a window after its answer.
        // Asked now, the run ends with its last answer; a call that is there
        // waits for its slot.
        m_readAhead = read();
        if (!m_sourceDone || m_readAhead)
            return End::NotYet;
    }
    return End::Reached;
}

qint64 JobFeed::dropReadAhead()
{
    if (!m_readAhead)
        return 0;
    const qint64 rows = m_readAhead->call.rows.size();
    m_readAhead.reset();
    return rows;
}

} // namespace headroom::run
