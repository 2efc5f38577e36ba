#pragma once

#include "core/clock/Clock.h"
#include "core/imports/ApiCall.h"
#include "core/run/AttemptOutcome.h"

namespace headroom::run {

// One API call on its way through a lane, with what its attempts so far have
// taught: how many, since when, the last delay (decorrelated jitter) and what
// it spent from the retry budget (refunded on success).
struct Job
{
    quint64 id = 0;
    int lane = 0;
    imports::ApiCall call;
    int attempt = 0;          // attempts made so far
    int throttled = 0;        // of which the server throttled (they spend no attempt)
    TimePoint firstErrorAt{}; // the first attempt that failed for another reason: the deadline's start
    TimePoint firstSentAt{};
    TimePoint lastSentAt{};
    TimePoint lastWireAt{}; // when the last attempt left (its send time when unknown)
    Duration lastDelay{};
    int budgetSpent = 0;
    int lastStatus = 0;
    QByteArray lastBody; // first bytes of the last response, for dead letters
    QString lastError;
    AttemptOutcome lastOutcome; // what the last attempt came to
};

} // namespace headroom::run
