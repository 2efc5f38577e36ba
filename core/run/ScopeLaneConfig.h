#pragma once

#include "core/run/LaneConfig.h"
#include "core/scopes/ScopeSet.h"

namespace headroom::run {

// The configuration of a lane the Dispatcher opens for a scope key, derived
// from the run's main lane and the scope's documented windows. Pure: the
// Dispatcher owns the lanes it makes from it.
class ScopeLaneConfig
{
public:
    // `underParent`: the scope sits under a wider scope's lane, which follows
    // the rate headers for both.
    static LaneConfig derive(const LaneConfig &main, const scopes::ScopeMatch &match, bool underParent);
    // The key under which every run of this process sending into the main
    // lane's scope shares its budget: the API, where it lives (scheme, host,
    // port, path) and the credentials' non-secret scope (site id, token
    // fingerprint). A scope lane's key adds its scope key.
    static QString processBudgetKey(const LaneConfig &main);
    // The process budget key of the lane named `lane` that a run of these
    // main lanes has (a main lane or a scope lane derived from one); empty
    // when none of them has a key.
    static QString processBudgetKeyOf(const QList<LaneConfig> &mainLanes, const QString &lane);
    // The shared budget of the scope key `scopeKey`'s lane: the main lane's
    // Redis and key name plus ":<scope key>", at the lane's own limit.
    static std::optional<budget::SharedBudgetConfig> sharedBudget(const LaneConfig &main, const LaneConfig &lane,
                                                                  const QString &scopeKey);
};

} // namespace headroom::run
