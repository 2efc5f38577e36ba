#pragma once

#include "core/clock/Clock.h"
#include "core/run/Job.h"

namespace headroom::run {

// A call on the wire, as the Dispatcher tracks it until its reply finishes.
struct InFlight
{
    Job job;
    bool cancelled = false;
    bool wired = false;
    TimePoint wireAt{};   // when QNAM wrote it; lastSentAt until then
    TimePoint deadline{}; // the lane's transfer timeout after the send
    bool timedOut = false;
    bool oversized = false; // aborted for a body over ReplyReader::kMaxResponseBytes
};

} // namespace headroom::run
