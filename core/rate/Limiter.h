#pragma once

#include "core/clock/Clock.h"

#include <QString>

namespace headroom::rate {

struct RateSignals;

// What the dispatcher tells a limiter about one finished attempt.
struct ResponseObservation
{
    int status = 0;              // HTTP status; 0 when no response arrived
    bool transportError = false; // connection refused/reset, DNS, ...
    bool timedOut = false;       // our transfer timeout fired (never a rate limit)
    Duration latency{};          // send → response
    // The request's send as the limiters recorded it (onSend's `now`) and when
    // it left (onWire's `wireAt`); equal when the wire time is unknown. Zero
    // when the caller does not know which send this answers.
    TimePoint sentAt{};
    TimePoint wireAt{};
    const RateSignals *rateSignals = nullptr; // parsed headers/body; may be null. Not `signals`: that is a Qt keyword macro.
};

// One rule about when the next request of a lane may leave. Pure: it is told the
// time, never reads a clock, never starts a timer. The dispatcher asks every
// limiter of a lane and waits for the latest answer.
//
// Contract with the dispatcher:
//   earliestSend(now)  -> the earliest instant >= now at which one more request may go
//                         (returning `now` means "go"; TimePoint::max() means "not until
//                         something is observed", e.g. a full concurrency cap)
//   onSend(now)        -> a request left at `now` (every attempt, retries included)
//   onResponse(now, o) -> that request finished (or failed / timed out / was cancelled)
//                         — called exactly once per onSend.
class Limiter
{
public:
    virtual ~Limiter() = default;

    virtual QString name() const = 0;
    virtual TimePoint earliestSend(TimePoint now) const = 0;
    virtual void onSend(TimePoint now) = 0;
    virtual void onResponse(TimePoint now, const ResponseObservation &observation) = 0;
    // The request recorded by onSend(sentAt) was seen leaving the machine at
    // `wireAt` (later: QNAM writes on its own thread, and a new connection
    // first needs a handshake). A limiter that counts sends the way the server
    // counts arrivals moves its record; the rest ignore it.
    virtual void onWire(TimePoint sentAt, TimePoint wireAt)
    {
        Q_UNUSED(sentAt);
        Q_UNUSED(wireAt);
    }

    // The rate (requests per second) this limiter currently allows, for the
    // charts; negative when it has no opinion.
    virtual double currentRate(TimePoint now) const
    {
        Q_UNUSED(now);
        return -1.0;
    }
};

} // namespace headroom::rate
