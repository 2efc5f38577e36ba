#pragma once

#include "core/clock/Clock.h"
#include "core/imports/CallSource.h"
#include "core/metrics/LaneSnapshot.h"
#include "core/run/RunProgress.h"
#include "core/run/RunSummary.h"

#include <QList>

namespace headroom::run {

class ScopeLanes;

// The run's totals from its lanes and its source: the progress line while it
// runs, and the summary's counts at its end.
class RunTally
{
public:
    // `source` may be null (a run without input).
    static RunProgress progress(const RunSummary &summary, const imports::CallSource *source,
                                const QList<metrics::LaneSnapshot> &lanes, Duration elapsed);
    // The summary's elapsed time, the lanes' totals and their last samples.
    static void tallyLanes(RunSummary &summary, const ScopeLanes &lanes, TimePoint startedAt, TimePoint now);
    // The source's own counts; on an early end, the rows never read count as
    // not attempted too, when the file's length is known.
    static void tallySource(RunSummary &summary, const imports::CallSource &source, RunSummary::Ending ending);
};

} // namespace headroom::run
