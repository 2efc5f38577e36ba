#pragma once

#include "core/scopes/ScopeSpec.h"

#include <QList>
#include <QString>

#include <optional>

namespace headroom::scopes {

// A scope's windows as an operator reads and types them: "10 per 1s",
// "1 per 10s, 500 per 1d". Pure.
class ScopeWindowText
{
public:
    static QString format(const QList<ScopeWindow> &windows);
    // Every window, or nothing with `error` naming what is wrong.
    static std::optional<QList<ScopeWindow>> parse(const QString &text, QString *error);
    // DurationText's spellings, and days ("1d"), since daily quotas are common.
    static std::optional<Duration> parsePer(const QString &text);
};

// The operator's own windows for one scope of a profile, as a limits file
// gives them (the console's scope table makes these).
struct ScopeLimitOverride
{
    QString scope;
    QList<ScopeWindow> windows;

    friend bool operator==(const ScopeLimitOverride &, const ScopeLimitOverride &) = default;
};

} // namespace headroom::scopes
