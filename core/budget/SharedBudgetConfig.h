#pragma once

#include "core/budget/RedisUrl.h"
#include "core/clock/Clock.h"

namespace headroom::budget {

// How one lane draws from a shared budget.
struct SharedBudgetConfig
{
    RedisUrl url;
    // The limit as this process knows it (configured or the profile's); a
    // limit published on the key from response headers takes precedence.
    int limit = 0;
    Duration period = std::chrono::seconds(1);
    // How far a send may land from its granted slot (timer lateness, QNAM's
    // hand-over): two sends may come 2 × jitter closer than their slots, so the
    // budget spaces slots by (period + 2 × jitter) / limit.
    Duration jitter = std::chrono::milliseconds(10);
    // Without an answer this long, Redis counts as away: pace locally.
    Duration answerTimeout = std::chrono::milliseconds(200);
    // While away: try again this often.
    Duration probeInterval = std::chrono::seconds(1);
    // Share of the limit while Redis is away; 0: limit ÷ processes last seen.
    double fallbackShare = 0.0;
    // Publish a limit learned from response headers to the key.
    bool publishHeaderLimit = true;
    // The operator allows AUTH in clear over a network (--insecure-redis).
    bool allowPasswordInClear = false;
    // A process missing from the budget this long is no longer counted.
    Duration processTtl = std::chrono::seconds(5);
};

} // namespace headroom::budget
