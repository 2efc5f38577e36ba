#include "core/run/LaneNotices.h"

#include "core/rate/GrantedBudgetLimiter.h"
#include "core/run/Lane.h"
#include "core/run/RunLogging.h"

#include <cmath>

namespace headroom::run {

LaneNotices::LaneNotices(const Clock &clock, const std::vector<RunObserver *> &observers)
    : m_clock(clock)
    , m_observers(observers)
{
}

AttemptRecord LaneNotices::record(const QString &lane, const QString &text, const QString &operation, WallTime wallNow)
{
    AttemptRecord record;
    record.wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(wallNow.time_since_epoch()).count();
    record.lane = lane;
    record.operation = operation;
    record.decision = QStringLiteral("notice");
    record.reason = text;
    return record;
}

void LaneNotices::notice(const Lane &lane, const QString &text, const QString &operation)
{
    qCInfo(lcRun).noquote() << text;
    const AttemptRecord line = record(lane.config().name, text, operation, m_clock.wallNow());
    for (RunObserver *o : m_observers)
        o->attemptFinished(line);
}

void LaneNotices::noteGrantedBudget(const Lane &lane, GrantedTold &told)
{
    const rate::GrantedBudgetLimiter *granted = lane.grantedBudget();
    if (!granted || granted->episodes() == told.episodes)
        return;
    told.episodes = granted->episodes();
    const std::optional<int> estimate = granted->estimate();
    // A probe refused at the same budget is routine; a budget that moved is news.
    if (estimate == told.estimate
        || (estimate && told.estimate && std::abs(*estimate - *told.estimate) * 20 <= *told.estimate))
        return;
    told.estimate = estimate;
    const qint64 windowMs = std::chrono::duration_cast<std::chrono::milliseconds>(granted->window()).count();
    const int measured = granted->lastMeasurement().value_or(0);
    const QString configured = lane.config().limit ? tr("%1 configured").arg(*lane.config().limit)
                                                   : tr("none configured");
    if (!estimate) {
        notice(lane, tr("granted budget: back at the configured limit (%1 per %2 ms)").arg(configured).arg(windowMs),
               QStringLiteral("granted-budget"));
        return;
    }
    notice(lane,
           tr("granted budget: the server refused a request after %1 of this lane's in %2 ms (%3); pacing at %4 per %2 ms%5")
               .arg(measured)
               .arg(windowMs)
               .arg(configured)
               .arg(*estimate)
               .arg(granted->shared() ? tr(", below the least measured: others spend from this budget") : QString()),
           QStringLiteral("granted-budget"));
}

void LaneNotices::noteScopeLimit(const Lane &lane, std::optional<int> limitBefore, Duration windowBefore)
{
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    const LaneConfig &config = lane.config();
    const QString before = limitBefore
                               ? tr("%1 per %2 ms").arg(*limitBefore).arg(duration_cast<milliseconds>(windowBefore).count())
                               : tr("no limit");
    notice(lane,
           tr("scope limit: the server's 429 says %1 per %2 ms; this lane paces at it (it had %3)")
               .arg(config.limit.value_or(0))
               .arg(duration_cast<milliseconds>(config.window).count())
               .arg(before),
           QStringLiteral("scope-limit"));
}

} // namespace headroom::run
