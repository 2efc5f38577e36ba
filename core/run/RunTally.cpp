#include "core/run/RunTally.h"

#include "core/run/ScopeLanes.h"

#include <algorithm>

namespace headroom::run {

namespace {

double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}

} // namespace

RunProgress RunTally::progress(const RunSummary &summary, const imports::CallSource *source,
                               const QList<metrics::LaneSnapshot> &lanes, Duration elapsed)
{
    RunProgress p;
    p.elapsedS = seconds(elapsed);
    p.rowsRead = summary.rowsTotal;
    p.rowsDone = summary.rowsDone;
    p.rowsFailed = summary.rowsFailed;
    if (source) {
        if (auto total = source->totalRows())
            p.totalRows = std::max<qint64>(0, *total - source->skippedRows() - source->filteredRows());
        p.fileFraction = source->progress();
    }
    for (const auto &lane : lanes) {
        p.requests += lane.requests;
        p.responses429 += lane.responses429;
        p.retries += lane.retries;
        p.inFlight += lane.inFlight;
        p.rowsPerS += lane.rowsPerS;
    }
    return p;
}

void RunTally::tallyLanes(RunSummary &summary, const ScopeLanes &lanes, TimePoint startedAt, TimePoint now)
{
    summary.elapsedS = seconds(now - startedAt);
    summary.requests = 0;
    summary.responses429 = 0;
    summary.retries = 0;
    summary.timeouts = 0;
    summary.transportErrors = 0;
    summary.responses5xx = 0;
    summary.lanes.clear();
    for (const auto &slot : lanes) {
        const auto &c = slot->lane->counters();
        summary.requests += c.requestsSent;
        summary.responses429 += c.responses429;
        summary.retries += c.retries;
        summary.timeouts += c.timeouts;
        summary.transportErrors += c.transportErrors;
        summary.responses5xx += c.responses5xx;
        summary.lanes << slot->lane->sample(now, startedAt, 0, false);
    }
}

void RunTally::tallySource(RunSummary &summary, const imports::CallSource &source, RunSummary::Ending ending)
{
    summary.rowsSkipped = source.skippedRows();
    summary.rowsUnchanged = source.filteredRows();
    if (ending != RunSummary::Ending::Completed && ending != RunSummary::Ending::Failed) {
        // Rows never read count too, when the file's length is known.
        if (auto total = source.totalRows())
            summary.rowsNotAttempted +=
                std::max<qint64>(0, *total - source.skippedRows() - source.filteredRows() - summary.rowsTotal);
    }
}

} // namespace headroom::run
