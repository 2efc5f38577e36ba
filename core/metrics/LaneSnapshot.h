#pragma once

#include <QMetaType>
#include <QString>

namespace headroom::metrics {

// One sample of one lane, as the console charts and the CLI progress line see
// it. Plain data, cheap to copy across threads by queued signal.
struct LaneSnapshot
{
    QString lane;
    double elapsedS = 0; // since the run started
    // What the server last said (-1: never said).
    qint64 remaining = -1;
    qint64 limit = -1;
    double resetInS = -1;
    // The engine's own view while the server reports no Remaining: the limit
    // (or the budget learned from 429s) minus the requests in the trailing
    // window, or a token bucket's tokens (-1: no limit to count against).
    qint64 estimatedRemaining = -1;
    // The engine's own state.
    qint64 queueDepth = 0; // retries waiting + calls held back
    qint64 inFlight = 0;
    // Counted in the exact trailing window of the lane's limit (rateWindowS),
    // each at its request's wire time, and divided by the window's length: a
    // point never shows more than went out in one real window.
    double rateWindowS = 1;
    qint64 sentInWindow = 0;
    double sentPerS = 0;
    double donePerS = 0; // calls finished OK per second
    double rowsPerS = 0;
    double throttledPerS = 0; // 429s per second
    qint64 responses429 = 0;  // cumulative
    qint64 retries = 0;       // cumulative
    qint64 requests = 0;      // cumulative
    qint64 rowsDone = 0;
    qint64 rowsFailed = 0;
    double latencyP50Ms = 0;
    double latencyP95Ms = 0;
    double pacingRate = -1; // req/s the limiter stack allows now; -1 none
    double configuredLimitPerS = -1;
    QString breakerState; // "closed", "open", "half-open"
    bool paused = false;
    QString pauseReason;    // operator pause, Retry-After, outage...
    QString bindingLimiter; // which limiter decides the current wait
    // Shared budget (empty mode: none). This process's share is sentPerS.
    QString budgetMode;        // "connecting", "shared", "fallback"
    double budgetUsePerS = -1; // every process together; -1 unknown
    double budgetLimitPerS = -1;
    int budgetProcesses = 0;
};

} // namespace headroom::metrics

Q_DECLARE_METATYPE(headroom::metrics::LaneSnapshot)
