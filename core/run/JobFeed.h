#pragma once

#include "core/clock/Clock.h"
#include "core/imports/CallSource.h"
#include "core/run/Job.h"
#include "core/run/RunSummary.h"

#include <optional>

namespace headroom::run {

class RowSettler;
class ScopeLanes;
class LaneSlot;

// The file's calls as jobs, read only when a lane may send (backpressure: no
// buffer beyond what is in flight), numbered, and counted in the summary with
// the bad rows the source met on the way. One call may wait read ahead, to
// learn whether the file has ended. When lanes are scopes, a call read for one
// lane may be another's: it waits in that lane's queue, within the look-ahead.
class JobFeed
{
public:
    // What a look for the file's end found.
    enum class End { Reached,
                     NotYet, // a call is read ahead, or the file goes on
                     Routed  // a call went to its scope's lane, which may be free
    };

    // The references are the Dispatcher's and outlive this; `source` is read
    // only once the run has opened it. `nextJobId` is the run's job numbering.
    JobFeed(imports::CallSource *source, ScopeLanes &lanes, RunSummary &summary, RowSettler &settler,
            quint64 &nextJobId);

    // The next new call for `slot`: the one read ahead, else the file's next
    // (with scopes, the next of `slot`'s scope key).
    std::optional<Job> nextFor(LaneSlot &slot, TimePoint now);
    // Whether calls wait unread: read ahead, or still in the file.
    bool hasUnread() const { return m_readAhead.has_value() || !m_sourceDone; }
    bool hasReadAhead() const { return m_readAhead.has_value(); }
    bool exhausted() const { return m_sourceDone; }
    // The source tells its end only when asked for one more call: asks now.
    End lookForEnd(TimePoint now);
    // Drops the call read ahead; the rows it carried.
    qint64 dropReadAhead();
    // Whether a read for one lane queued calls for another since the last
    // clear: the pump makes another pass for them.
    bool routedElsewhere() const { return m_routedElsewhere; }
    void clearRoutedElsewhere() { m_routedElsewhere = false; }

private:
    // The next call of the file (nullopt at its end, which sets m_sourceDone).
    std::optional<Job> read();
    // Reads calls for `slot` when lanes are scopes: a call of another scope
    // key goes to its lane's queue, within ScopeLanes::kLookAhead.
    std::optional<Job> pullFor(LaneSlot &slot, TimePoint now);

    imports::CallSource *m_source;
    ScopeLanes &m_lanes;
    RunSummary &m_summary;
    RowSettler &m_settler;
    quint64 &m_nextJobId;
    bool m_sourceDone = false;
    std::optional<Job> m_readAhead;
    bool m_routedElsewhere = false;
};

} // namespace headroom::run
