#pragma once

#include "core/scopes/ScopeSet.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace headroom::scopes {

// What `--limits FILE.json` gives: the profile's scopes with the file's
// additions and overrides, or every error found (the scopes then unchanged).
struct LimitsResult
{
    ScopeSet scopes;
    QStringList errors;

    bool ok() const { return errors.isEmpty(); }
};

// The operator's limits file. It adds scopes to a profile and overrides the
// matcher, key or windows of the profile's own scopes by name:
//
//   {
//     "profile": "customerio-app",            optional; must then be the run's
//     "scopes": [
//       {"name": "main", "windows": [{"limit": 5, "per": "1s"}, {"limit": 50000, "per": "1d"}]},
//       {"name": "broadcasts", "match": "POST /v1/campaigns/{campaign}/triggers",
//        "key": "campaign", "windows": [{"limit": 1, "per": "10s"}]}
//     ]
//   }
//
// "match" is "METHOD /path/{var}", "/path/{var}" (any method), "*" (every
// request) or, for main only, "rest" (what no other scope matches). "key"
// names a variable of the path; without it the scope has one key for the
// workspace. "per" is a duration: "500ms", "10s", "1m", "1h", "1d".
// Errors name the file, the scope by index and name, and the field, and all
// are reported at once so one edit fixes the file.
class LimitsFile
{
    Q_DECLARE_TR_FUNCTIONS(LimitsFile)
public:
    static constexpr qint64 MaxBytes = 1024 * 1024;
    static constexpr int MaxScopes = 256;
    static constexpr int MaxWindows = 8;
    static constexpr int MaxLimit = 1000000000;

    static LimitsResult load(const QString &path, const QString &profile, const ScopeSet &base);
    // `fileName` is how errors name the file.
    static LimitsResult parse(const QByteArray &json, const QString &fileName, const QString &profile,
                              const ScopeSet &base);
};

} // namespace headroom::scopes
