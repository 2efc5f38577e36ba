#pragma once

#include "core/clock/Clock.h"
#include "core/http/RequestFactory.h"
#include "core/rate/RetryPolicy.h"
#include "core/run/Job.h"
#include "core/run/Lane.h"
#include "core/run/LaneConfig.h"
#include "core/run/LaneNotices.h"
#include "core/run/ReplyReader.h"

#include <deque>
#include <memory>

namespace headroom::run {

// One lane of a run with what the Dispatcher keeps beside it: the requests it
// builds, the calls waiting for it, and what the liveness guard watches.
class LaneSlot
{
public:
    LaneSlot(const LaneConfig &config, TimePoint now);

    // Calls held or routed here, waiting for their turn.
    bool hasQueued() const { return !held.empty() || !routed.empty(); }
    qint64 queuedCount() const { return qint64(held.size() + routed.size()); }
    // When the liveness guard may send for this lane (TimePoint::max():
    // never). `rowsUnread`: unread rows of the file wait on this lane.
    // `scoped`: the lanes are the API's scopes.
    TimePoint guardDueAt(bool rowsUnread, bool scoped, TimePoint now) const;
    // The lane's part of an answer: the job learns its outcome, the lane
    // decides (done / retry at T / pause / dead letter / split), and the run
    // log and the liveness guard note what the answer told.
    rate::RetryPolicy::Decision takeAnswer(Job &job, const ReplyReader::Reading &answer, LaneNotices &notices,
                                           TimePoint now);

    std::unique_ptr<Lane> lane;
    http::RequestFactory requests;
    std::deque<Job> held;   // split halves and batch leftovers, sent before new rows
    std::deque<Job> routed; // new calls of this lane's scope key, read ahead in file order
    // The liveness guard's view: the lane's last send or answer (or the
    // start), and the latest wait the server or the retry policy gave it
    // (a reset, a Retry-After, a retry's due time).
    TimePoint quietSince{};
    TimePoint toldUntil{};
    LaneNotices::GrantedTold grantedTold;
};

} // namespace headroom::run
