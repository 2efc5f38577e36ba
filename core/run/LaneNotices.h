#pragma once

#include "core/clock/Clock.h"
#include "core/run/RunObserver.h"

#include <QCoreApplication>
#include <QString>

#include <optional>
#include <vector>

namespace headroom::run {

class Lane;

// Turns lane-level events (a shared budget gone, a granted budget learned, a
// scope limit taken from a 429, the liveness guard stepping in) into lines of
// the run log, shaped like an attempt's so requests.jsonl, its CSV and the
// console's Log show them without a format of their own.
class LaneNotices
{
    Q_DECLARE_TR_FUNCTIONS(LaneNotices)
public:
    // The granted budget last written to the run log for one lane, so the
    // operator reads when the lane learned the server grants less (or more
    // again), not every probe refused at the same budget.
    struct GrantedTold
    {
        int episodes = 0;
        std::optional<int> estimate;
    };

    // `observers` is the Dispatcher's list, read at each notice.
    LaneNotices(const Clock &clock, const std::vector<RunObserver *> &observers);

    void notice(const Lane &lane, const QString &text, const QString &operation = QStringLiteral("shared-budget"));
    // Tells the run log when the lane learned the server grants less (or more
    // again) than it was told; `told` is that lane's record of the last one.
    void noteGrantedBudget(const Lane &lane, GrantedTold &told);
    // Tells the run log the lane took the limit a 429's body stated.
    void noteScopeLimit(const Lane &lane, std::optional<int> limitBefore, Duration windowBefore);

    // The run-log line of a notice.
    static AttemptRecord record(const QString &lane, const QString &text, const QString &operation, WallTime wallNow);

private:
    const Clock &m_clock;
    const std::vector<RunObserver *> &m_observers;
};

} // namespace headroom::run
