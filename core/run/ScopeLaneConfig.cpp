#include "core/run/ScopeLaneConfig.h"

#include "core/run/RunPlan.h"

#include <algorithm>
#include <chrono>

namespace headroom::run {

LaneConfig ScopeLaneConfig::derive(const LaneConfig &main, const scopes::ScopeMatch &match, bool underParent)
{
    LaneConfig config = main;
    config.name += QLatin1Char(' ') + match.key;
    config.scopes.reset();
    // A budget shared through Redis is the main scope's: one key per workspace.
    config.sharedBudget.reset();
    config.extraWindows.clear();
    if (!main.processBudgetKey.isEmpty())
        config.processBudgetKey = main.processBudgetKey + QLatin1Char(' ') + match.key;
    if (match.windows.isEmpty()) {
        // Not documented: learn it from the server, as a profile without a limit does.
        config.limit.reset();
        config.discover = true;
        config.followHeaders = true;
    } else {
        config.limit = match.windows.first().limit;
        config.window = match.windows.first().per;
        config.extraWindows = match.windows.mid(1);
        config.tokenBucket = false;
    }
    // Rate headers on an answer report the wider budget (the token's), which
    // the parent's lane follows; paced by them this lane would spend its own
    // narrower window at the wider one's pace.
    if (underParent && config.limit)
        config.followHeaders = false;
    const std::optional<double> ratePerS = config.limit
                                               ? std::optional<double>(double(*config.limit) / std::chrono::duration<double>(config.window).count())
                                               : std::nullopt;
    config.concurrency = std::min(main.concurrency, RunPlan::automaticConcurrency(ratePerS));
    return config;
}

QString ScopeLaneConfig::processBudgetKey(const LaneConfig &main)
{
    return main.name + QLatin1Char(' ')
           + main.baseUrl.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash)
                 .toString();
}

} // namespace headroom::run
