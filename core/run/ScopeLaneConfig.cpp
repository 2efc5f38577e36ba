#include "core/run/ScopeLaneConfig.h"

#include "core/run/RunPlan.h"

#include <algorithm>
#include <chrono>

namespace headroom::run {

std::optional<budget::SharedBudgetConfig> ScopeLaneConfig::sharedBudget(const LaneConfig &main, const LaneConfig &lane,
                                                                        const QString &scopeKey)
{
    // Every process that shares the main scope's budget shares each scope
    // key's too, under a key of its own: a campaign's 1 per 10 s is one
    // budget however many processes trigger it. A scope whose limit is to be
    // learned has nothing to share yet.
    if (!main.sharedBudget || !lane.limit)
        return std::nullopt;
    budget::SharedBudgetConfig shared = *main.sharedBudget;
    shared.url.key += QLatin1Char(':') + scopeKey;
    shared.limit = *lane.limit;
    shared.period = lane.window;
    shared.publishHeaderLimit = lane.followHeaders;
    return shared;
}

LaneConfig ScopeLaneConfig::derive(const LaneConfig &main, const scopes::ScopeMatch &match, bool underParent)
{
    LaneConfig config = main;
    config.name += QLatin1Char(' ') + match.key;
    config.scopes.reset();
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
    config.sharedBudget = sharedBudget(main, config, match.key);
    return config;
}

QString ScopeLaneConfig::processBudgetKeyOf(const QList<LaneConfig> &mainLanes, const QString &lane)
{
    // derive() names a scope lane "<main> <scope key>" and keys it the same way.
    for (const LaneConfig &main : mainLanes) {
        if (main.processBudgetKey.isEmpty())
            continue;
        if (lane == main.name)
            return main.processBudgetKey;
        if (lane.startsWith(main.name + QLatin1Char(' ')))
            return main.processBudgetKey + lane.mid(main.name.size());
    }
    return {};
}

QString ScopeLaneConfig::processBudgetKey(const LaneConfig &main)
{
    return main.name + QLatin1Char(' ')
           + main.baseUrl.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash)
                 .toString();
}

} // namespace headroom::run
