#include "core/run/RunSettings.h"

#include "core/budget/RedisUrl.h"
#include "core/clock/DurationText.h"

#include <QCoreApplication>

namespace headroom::run {

QString RunSettings::strategyName(Strategy strategy)
{
    switch (strategy) {
    case Strategy::Auto:
        return QStringLiteral("auto");
    case Strategy::Fixed:
        return QStringLiteral("fixed");
    case Strategy::Headers:
        return QStringLiteral("headers");
    case Strategy::Discover:
        return QStringLiteral("discover");
    }
    return {};
}

std::optional<RunSettings::Strategy> RunSettings::strategyFromName(const QString &name)
{
    for (Strategy s : {Strategy::Auto, Strategy::Fixed, Strategy::Headers, Strategy::Discover}) {
        if (strategyName(s) == name)
            return s;
    }
    return std::nullopt;
}

QJsonObject RunSettings::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("profile")] = profile;
    o[QStringLiteral("file")] = file;
    if (!mappingFile.isEmpty())
        o[QStringLiteral("mapping")] = mappingFile;
    if (!limitsFile.isEmpty())
        o[QStringLiteral("limits")] = limitsFile;
    if (!scopeLimits.isEmpty()) {
        QJsonObject limits;
        for (const scopes::ScopeLimitOverride &limit : scopeLimits)
            limits.insert(limit.scope, scopes::ScopeWindowText::format(limit.windows));
        o[QStringLiteral("scope_limits")] = limits;
    }
    if (!format.isEmpty())
        o[QStringLiteral("format")] = format;
    if (!region.isEmpty())
        o[QStringLiteral("region")] = region;
    if (!baseUrl.isEmpty()) // never carries userinfo: stripped on the way in
        o[QStringLiteral("base_url")] = baseUrl.toString(QUrl::RemoveUserInfo);
    o[QStringLiteral("sandbox")] = sandbox;
    if (rate)
        o[QStringLiteral("rate")] = *rate;
    if (window)
        o[QStringLiteral("window")] = DurationText::format(*window);
    o[QStringLiteral("token_bucket")] = tokenBucket;
    o[QStringLiteral("burst")] = burst;
    if (margin)
        o[QStringLiteral("margin")] = DurationText::format(*margin);
    o[QStringLiteral("strategy")] = strategyName(strategy);
    o[QStringLiteral("concurrency")] = concurrency;
    o[QStringLiteral("batch")] = batch;
    o[QStringLiteral("timeout")] = DurationText::format(timeout);
    o[QStringLiteral("max_attempts")] = maxAttempts;
    o[QStringLiteral("give_up_after")] = DurationText::format(giveUpAfter);
    if (!messageIdPrefix.isEmpty())
        o[QStringLiteral("message_id_prefix")] = messageIdPrefix;
    if (!sharedBudget.isEmpty()) {
        // Never the password: a resume takes it from HEADROOM_REDIS_PASSWORD.
        const auto url = budget::RedisUrl::parse(sharedBudget, nullptr);
        o[QStringLiteral("shared_budget")] = url ? url->redacted() : QStringLiteral("(invalid)");
    }
    if (insecureRedis)
        o[QStringLiteral("insecure_redis")] = true;
    if (resendAmbiguous)
        o[QStringLiteral("resend_ambiguous")] = true;
    if (changeMode != state::ChangeMode::All)
        o[QStringLiteral("change_mode")] = state::changeModeName(changeMode);
    if (!stateDir.isEmpty())
        o[QStringLiteral("state_dir")] = stateDir;
    return o;
}

std::optional<RunSettings> RunSettings::fromJson(const QJsonObject &o, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<RunSettings> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    RunSettings s;
    s.profile = o.value(QStringLiteral("profile")).toString();
    s.file = o.value(QStringLiteral("file")).toString();
    if (s.profile.isEmpty() || s.file.isEmpty())
        return fail(QCoreApplication::translate("RunSettings", "run settings need a profile and a file"));
    s.mappingFile = o.value(QStringLiteral("mapping")).toString();
    s.limitsFile = o.value(QStringLiteral("limits")).toString();
    const QJsonObject limits = o.value(QStringLiteral("scope_limits")).toObject();
    QStringList limitErrors;
    for (auto it = limits.begin(); it != limits.end(); ++it) {
        QString limitError;
        if (const auto windows = scopes::ScopeWindowText::parse(it.value().toString(), &limitError))
            s.scopeLimits.append({it.key(), *windows});
        else
            limitErrors << QStringLiteral("scope_limits.%1: %2").arg(it.key(), limitError);
    }
    if (!limitErrors.isEmpty())
        return fail(limitErrors.join(QStringLiteral("; ")));
    s.format = o.value(QStringLiteral("format")).toString();
    s.region = o.value(QStringLiteral("region")).toString();
    s.baseUrl = QUrl(o.value(QStringLiteral("base_url")).toString());
    s.sandbox = o.value(QStringLiteral("sandbox")).toBool();
    if (o.contains(QStringLiteral("rate")))
        s.rate = o.value(QStringLiteral("rate")).toInt();
    if (o.contains(QStringLiteral("window"))) {
        s.window = DurationText::parse(o.value(QStringLiteral("window")).toString());
        if (!s.window)
            return fail(QCoreApplication::translate("RunSettings", "window: not a duration"));
    }
    s.tokenBucket = o.value(QStringLiteral("token_bucket")).toBool();
    s.burst = o.value(QStringLiteral("burst")).toInt();
    if (o.contains(QStringLiteral("margin"))) {
        s.margin = DurationText::parse(o.value(QStringLiteral("margin")).toString());
        if (!s.margin)
            return fail(QCoreApplication::translate("RunSettings", "margin: not a duration"));
    }
    const auto strategy = strategyFromName(o.value(QStringLiteral("strategy")).toString(QStringLiteral("auto")));
    if (!strategy)
        return fail(QCoreApplication::translate("RunSettings", "strategy: expected auto, fixed, headers or discover"));
    s.strategy = *strategy;
    s.concurrency = o.value(QStringLiteral("concurrency")).toInt();
    s.batch = o.value(QStringLiteral("batch")).toBool();
    if (auto t = DurationText::parse(o.value(QStringLiteral("timeout")).toString(QStringLiteral("30s"))))
        s.timeout = *t;
    s.maxAttempts = o.value(QStringLiteral("max_attempts")).toInt(5);
    // Absent in runs recorded before the bound existed: the default.
    if (o.contains(QStringLiteral("give_up_after"))) {
        const auto giveUp = DurationText::parse(o.value(QStringLiteral("give_up_after")).toString());
        if (!giveUp || *giveUp <= Duration::zero())
            return fail(QCoreApplication::translate("RunSettings", "give_up_after: not a positive duration"));
        s.giveUpAfter = *giveUp;
    }
    s.messageIdPrefix = o.value(QStringLiteral("message_id_prefix")).toString();
    s.sharedBudget = o.value(QStringLiteral("shared_budget")).toString();
    s.insecureRedis = o.value(QStringLiteral("insecure_redis")).toBool();
    s.resendAmbiguous = o.value(QStringLiteral("resend_ambiguous")).toBool();
    const auto changeMode = state::changeModeFromName(o.value(QStringLiteral("change_mode")).toString(QStringLiteral("all")));
    if (!changeMode)
        return fail(QCoreApplication::translate("RunSettings",
                                                "change_mode: expected all, changed-only, only-new or only-existing"));
    s.changeMode = *changeMode;
    s.stateDir = o.value(QStringLiteral("state_dir")).toString();
    return s;
}

} // namespace headroom::run
