#pragma once

#include "core/clock/Clock.h"
#include "core/rate/Limiter.h"
#include "core/rate/RateSignals.h"
#include "core/run/AttemptOutcome.h"
#include "core/run/InFlight.h"

#include <QByteArray>
#include <QString>

class QNetworkReply;

namespace headroom::run {

// Reads a finished reply into what the lane, the job and the run log learn
// from it: the status, the body within the cap, whether the body is the whole
// answer, the rate signals, the timing and the attempt's outcome. It reads a
// reply and never keeps it: the Dispatcher owns replies.
class ReplyReader
{
public:
    // The most of one response body the engine reads: the APIs' real answers
    // (a batch's per-row results included) are far smaller, and a server that
    // streams without end must not grow the process. Beyond it the attempt is
    // aborted and counts as a transport error.
    static constexpr qint64 kMaxResponseBytes = 1 << 20;

    struct Reading
    {
        int answered = 0; // the status the server sent
        int status = 0;   // `answered`, or 0 when the body is not the whole answer
        QByteArray body;
        // Why the body is not the whole answer; empty when it is.
        QString cutOff;
        // The job's lastError: the cut-off, a timeout or the transport's error.
        QString error;
        rate::RateSignals rateSignals;
        AttemptOutcome outcome;
        Duration latency{};
        TimePoint sentAt{};
        TimePoint wireAt{};
        bool timedOut = false;
        bool transportError = false;

        // What the lane's limiters learn; it points into this reading.
        rate::ResponseObservation observation() const;
    };

    static Reading read(QNetworkReply &reply, const InFlight &entry, TimePoint now, const Clock &clock);
    // Whether a reply's body, announced or received, passes kMaxResponseBytes.
    static bool overCap(const QNetworkReply &reply);

private:
    static QString cutOffReason(const QNetworkReply &reply, const InFlight &entry, qsizetype bodySize);
};

} // namespace headroom::run
