#pragma once

#include "core/sandbox/ApiPolicy.h"
#include "core/sandbox/FaultPlan.h"
#include "core/sandbox/SandboxCredentials.h"

#include <QJsonObject>
#include <QMap>
#include <QStringList>

class QCommandLineParser;

namespace headroom::sandbox {

// Everything that shapes the sandbox's behaviour: per-API limits and header
// dialects, faults, credentials, lifetime. Built from defaults, then a JSON
// file, then flags; a partial JSON can be merged at run time.
//
// JSON shape (every key optional):
//   { "apis": { "<api>": { "limit": 100, "windowMs": 1000,
//                          "window": "sliding|rolling|fixed|fixed-clock|gcra",
//                          "retryAfter": "seconds|http-date|none|constant", "retryAfterSeconds": 1,
//                          "xRateLimit": "off|on429|always", "xRateLimitLimit": true, "xRateLimitConsumed": true,
//                          "resetFormat": "http-date|http-date-truncated|seconds|epoch", "ietf": false,
//                          "hidden": false, "auth": true, "advertisedLimit": 0,
//                          "limitSchedule": [{"fromSeconds": 10, "toSeconds": 20, "limit": 50}],
//                          "neighbourPerSecond": 0 } },
//     "faults": { "error500": 0, "error502": 0, "error503": 0, "drop": 0, "lostAnswer": 0, "latencyMs": 0,
//                 "jitterMs": 0, "stall": 0, "stallMs": 30000, "apis": [], "seed": 0,
//                 "outage": { "mode": "fail|refuse", "afterSeconds": -1, "seconds": 0 } },
//     "auth": { "trackWorkspaces": {"site": "key"}, "bearerTokens": [], "tokenWorkspaces": {"token": "site"},
//               "writeKeys": [] },
//     "lifetimeSeconds": 0, "logRequests": false, "maxBodyBytes": 8388608 }
struct SandboxConfig
{
    QMap<QString, ApiPolicy> apis; // keyed by apiNames()
    FaultPlan faults;
    SandboxCredentials credentials;
    int lifetimeSeconds = 0;  // 0 = run until stopped
    bool logRequests = false; // one log line per request; costs throughput
    qint64 maxBodyBytes = 8 * 1024 * 1024;

    SandboxConfig();

    static QStringList apiNames();
    ApiPolicy policy(const QString &api) const { return apis.value(api, ApiPolicy::defaultsFor(api)); }

    static SandboxConfig fromJson(const QJsonObject &json, QString *error);
    QJsonObject toJson() const;
    // Applies the keys present in `json` on top of this config; unchanged on error.
    bool merge(const QJsonObject &json, QString *error);

    // The flags shared by headroom-sandbox and `headroom-cli sandbox`.
    static void addFlags(QCommandLineParser &parser);
    bool applyFlags(const QCommandLineParser &parser, QString *error);
};

} // namespace headroom::sandbox
