#pragma once

#include "core/clock/Clock.h"
#include "core/sandbox/ApiPolicy.h"
#include "core/sandbox/HttpResponse.h"
#include "core/sandbox/RateDecision.h"

namespace headroom::sandbox {

// Writes the rate-limit signals an API's dialect calls for onto an answer:
// Retry-After (seconds rounded up, HTTP-date, or a constant) on a 429,
// X-RateLimit-* (Limit and Consumed optional, Remaining, Reset as a date
// rounded up or truncated, delta or epoch seconds), the IETF RateLimit /
// RateLimit-Policy pair — or nothing at all in hidden mode. The limit shown is
// the advertised one when the policy has one.
class RateHeaders
{
public:
    static void apply(HttpResponse &response, const ApiPolicy &policy, const RateDecision &decision,
                      WallTime wallNow);

    // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
    static QByteArray httpDate(WallTime at);
    // Whole seconds, rounded up, so a client that waits this long is never early.
    static qint64 ceilSeconds(Duration d);
};

} // namespace headroom::sandbox
