#pragma once

#include "core/clock/Clock.h"
#include "core/state/ChangeMode.h"
#include "core/scopes/ScopeWindowText.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <optional>

namespace headroom::run {

// What an operator chose for one run — the flags of `headroom-cli run`, the
// console's Import and APIs panels — with no secret in it, so it can be saved
// as run.json and read back by `resume`.
struct RunSettings
{
    enum class Strategy {
        Auto,     // configured/default limit + header pacing; discovery when no limit is known
        Fixed,    // the configured limit only
        Headers,  // header pacing (and the configured limit, if any)
        Discover, // no configured limit: the granted budget from 429s (slow start) + header pacing
    };

    QString profile;
    QString file;
    QString mappingFile;
    // --limits FILE.json: scopes added to or overriding the profile's (absolute path).
    QString limitsFile;
    // Scopes' windows the operator set in the console, applied after the
    // limits file as it would override them.
    QList<scopes::ScopeLimitOverride> scopeLimits;
    QString format;                 // "", "csv", "jsonl", "json"
    QString region;                 // "", "us", "eu"
    QUrl baseUrl;                   // empty: the profile's (or the sandbox's)
    bool sandbox = false;           // target the embedded sandbox
    std::optional<int> rate;        // requests per window; empty: the profile's default
    std::optional<Duration> window; // empty: the profile's default (or 1 s)
    bool tokenBucket = false;
    int burst = 0;
    // Arrival jitter the sliding window allows for; empty: 5 ms, learned upward from 429s.
    std::optional<Duration> margin;
    Strategy strategy = Strategy::Auto;
    int concurrency = 0; // 0: automatic
    bool batch = false;
    // Resend ambiguous attempts the API cannot deduplicate (LaneConfig).
    bool resendAmbiguous = false;
    Duration timeout = std::chrono::seconds(30);
    int maxAttempts = 5;
    // No row done or dead-lettered for this long while work remains: the run
    // stops (resumable). A server that throttles forever spends no attempts.
    Duration giveUpAfter = std::chrono::minutes(30);
    QString messageIdPrefix;
    // redis://HOST:PORT/DB?key=NAME: draw from a budget shared with other
    // processes. Kept as given; run.json gets it with any password masked.
    QString sharedBudget;
    // The operator allows the Redis password in clear over a network
    // (--insecure-redis): redis:// with a password to another host.
    bool insecureRedis = false;
    // Which rows go out given what the destination already accepted
    // (--changed-only, --only-new, --only-existing); every run keeps the
    // destination's store up to date.
    state::ChangeMode changeMode = state::ChangeMode::All;
    // --state-dir: where the stores are; empty: HEADROOM_STATE_DIR or the default.
    QString stateDir;

    QJsonObject toJson() const;
    static std::optional<RunSettings> fromJson(const QJsonObject &json, QString *error);
    static QString strategyName(Strategy strategy);
    static std::optional<Strategy> strategyFromName(const QString &name);
};

} // namespace headroom::run
