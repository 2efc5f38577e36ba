#pragma once

#include <QtGlobal>

namespace headroom::metrics {

// Cumulative counters of one lane since the run started. The engine only ever
// increments them; rates are derived by the sampler from differences.
struct LaneCounters
{
    qint64 requestsSent = 0; // attempts that left, retries included
    qint64 responses = 0;    // attempts that got any HTTP response
    qint64 responses2xx = 0;
    qint64 responses429 = 0;
    qint64 responses5xx = 0;
    qint64 otherErrors = 0; // 4xx other than 429
    qint64 transportErrors = 0;
    qint64 timeouts = 0;
    qint64 retries = 0; // attempts scheduled again
    qint64 rowsDone = 0;
    qint64 rowsFailed = 0; // dead-lettered
    qint64 callsDone = 0;
};

} // namespace headroom::metrics
