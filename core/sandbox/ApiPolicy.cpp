#include "core/sandbox/ApiPolicy.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace headroom::sandbox {

using namespace std::chrono_literals;

namespace {

template <typename Enum>
struct EnumName
{
    Enum value;
    const char *name;
};

constexpr EnumName<WindowKind> kWindowKinds[] = {
    {WindowKind::Sliding, "sliding"}, {WindowKind::Fixed, "fixed"}, {WindowKind::Rolling, "rolling"}, {WindowKind::FixedClock, "fixed-clock"}, {WindowKind::Gcra, "gcra"}};
constexpr EnumName<RetryAfterFormat> kRetryAfterFormats[] = {
    {RetryAfterFormat::None, "none"}, {RetryAfterFormat::Seconds, "seconds"}, {RetryAfterFormat::HttpDate, "http-date"}, {RetryAfterFormat::Constant, "constant"}};
constexpr EnumName<XRateLimitMode> kXRateLimitModes[] = {
    {XRateLimitMode::Off, "off"}, {XRateLimitMode::On429, "on429"}, {XRateLimitMode::Always, "always"}};
constexpr EnumName<ResetFormat> kResetFormats[] = {
    {ResetFormat::HttpDate, "http-date"}, {ResetFormat::DeltaSeconds, "seconds"}, {ResetFormat::EpochSeconds, "epoch"}, {ResetFormat::HttpDateTruncated, "http-date-truncated"}};

template <typename Enum, size_t N>
QString nameOf(const EnumName<Enum> (&table)[N], Enum value)
{
    for (const auto &entry : table) {
        if (entry.value == value)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

template <typename Enum, size_t N>
bool parseEnum(const EnumName<Enum> (&table)[N], const QJsonObject &json, const char *key,
               Enum *out, QString *error)
{
    const QString k = QString::fromLatin1(key);
    if (!json.contains(k))
        return true;
    const QString text = json.value(k).toString();
    for (const auto &entry : table) {
        if (text == QLatin1String(entry.name)) {
            *out = entry.value;
            return true;
        }
    }
    QStringList allowed;
    for (const auto &entry : table)
        allowed << QString::fromLatin1(entry.name);
    if (error) {
        *error = QCoreApplication::translate("sandbox", "'%1' must be one of %2")
                     .arg(k, allowed.join(QStringLiteral(", ")));
    }
    return false;
}

bool parseBool(const QJsonObject &json, const char *key, bool *out, QString *error)
{
    const QString k = QString::fromLatin1(key);
    if (!json.contains(k))
        return true;
    if (!json.value(k).isBool()) {
        if (error)
            *error = QCoreApplication::translate("sandbox", "'%1' must be true or false").arg(k);
        return false;
    }
    *out = json.value(k).toBool();
    return true;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("sandbox", text);
}

bool parseInt(const QJsonObject &json, const char *key, int min, int max, int *out, QString *error)
{
    const QString k = QString::fromLatin1(key);
    if (!json.contains(k))
        return true;
    const double v = json.value(k).toDouble(min - 1.0);
    if (!json.value(k).isDouble() || v < min || v > max) {
        if (error)
            *error = tr("'%1' must be an integer between %2 and %3").arg(k).arg(min).arg(max);
        return false;
    }
    *out = int(v);
    return true;
}

// [{"fromSeconds": 10, "toSeconds": 20, "limit": 50}, ...]
bool parseSchedule(const QJsonObject &json, QList<LimitStep> *out, QString *error)
{
    const QString k = QStringLiteral("limitSchedule");
    if (!json.contains(k))
        return true;
    const auto fail = [&] {
        if (error)
            *error = tr("'limitSchedule' must be an array of {\"fromSeconds\", \"toSeconds\", \"limit\"} "
                        "with 0 <= fromSeconds < toSeconds and limit >= 1");
        return false;
    };
    if (!json.value(k).isArray())
        return fail();
    QList<LimitStep> steps;
    const QJsonArray list = json.value(k).toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        const double from = o.value(QStringLiteral("fromSeconds")).toDouble(-1);
        const double to = o.value(QStringLiteral("toSeconds")).toDouble(-1);
        const double limit = o.value(QStringLiteral("limit")).toDouble(-1);
        if (!v.isObject() || from < 0 || to <= from || to > 1e7 || limit < 1 || limit > 2e9)
            return fail();
        steps.append(LimitStep{std::chrono::duration_cast<Duration>(std::chrono::duration<double>(from)),
                               std::chrono::duration_cast<Duration>(std::chrono::duration<double>(to)),
                               int(limit)});
    }
    *out = steps;
    return true;
}

QJsonArray scheduleToJson(const QList<LimitStep> &steps)
{
    QJsonArray list;
    for (const LimitStep &s : steps) {
        list.append(QJsonObject{
            {QStringLiteral("fromSeconds"), std::chrono::duration<double>(s.from).count()},
            {QStringLiteral("toSeconds"), std::chrono::duration<double>(s.to).count()},
            {QStringLiteral("limit"), s.limit}});
    }
    return list;
}

} // namespace

QString ApiPolicy::windowKindName(WindowKind kind)
{
    return nameOf(kWindowKinds, kind);
}

bool ApiPolicy::sameLimitAs(const ApiPolicy &other) const
{
    return limit == other.limit && window == other.window && kind == other.kind
           && limitSchedule == other.limitSchedule && neighbourPerSecond == other.neighbourPerSecond;
}

ApiPolicy ApiPolicy::defaultsFor(const QString &api)
{
    ApiPolicy p;
    if (api == QLatin1String("customerio-track")) {
        // ~100 req/s per workspace, sliding; shared with the App API's /v1/send/email.
        p.limit = 100;
        p.window = 1s;
    } else if (api == QLatin1String("customerio-app")) {
        // Broadcast triggers: 1 per 10 s per broadcast.
        p.limit = 1;
        p.window = 10s;
    } else if (api == QLatin1String("segment-public")) {
        p.limit = 30;
        p.window = 10s;
        p.kind = WindowKind::Fixed;
        p.retryAfter = RetryAfterFormat::None;
        p.xRateLimit = XRateLimitMode::Always;
        p.resetFormat = ResetFormat::HttpDate;
    } else if (api == QLatin1String("segment-tracking")) {
        p.limit = 500;
        p.window = 1s;
        p.xRateLimit = XRateLimitMode::On429;
        p.resetFormat = ResetFormat::DeltaSeconds;
    } else if (api == QLatin1String("customerio-pipelines")) {
        // 3,000 requests per 3 s per API key.
        p.limit = 3000;
        p.window = 3s;
    } else if (api == QLatin1String("generic")) {
        p.limit = 50;
        p.window = 1s;
        p.requireAuth = false;
    }
    return p;
}

qint64 ApiPolicy::windowMs() const
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(window).count();
}

QJsonObject ApiPolicy::toJson() const
{
    return QJsonObject{
        {QStringLiteral("limit"), limit},
        {QStringLiteral("windowMs"), windowMs()},
        {QStringLiteral("window"), nameOf(kWindowKinds, kind)},
        {QStringLiteral("retryAfter"), nameOf(kRetryAfterFormats, retryAfter)},
        {QStringLiteral("xRateLimit"), nameOf(kXRateLimitModes, xRateLimit)},
        {QStringLiteral("resetFormat"), nameOf(kResetFormats, resetFormat)},
        {QStringLiteral("ietf"), ietfHeaders},
        {QStringLiteral("hidden"), hidden},
        {QStringLiteral("auth"), requireAuth},
        {QStringLiteral("retryAfterSeconds"), retryAfterSeconds},
        {QStringLiteral("xRateLimitLimit"), xRateLimitLimit},
        {QStringLiteral("xRateLimitConsumed"), xRateLimitConsumed},
        {QStringLiteral("advertisedLimit"), advertisedLimit},
        {QStringLiteral("limitSchedule"), scheduleToJson(limitSchedule)},
        {QStringLiteral("neighbourPerSecond"), neighbourPerSecond},
        {QStringLiteral("endpointMinuteMs"), endpointMinuteMs},
        {QStringLiteral("generalLimit"), generalLimit},
        {QStringLiteral("generalWindowMs"), generalWindowMs},
    };
}

bool ApiPolicy::merge(const QJsonObject &json, QString *error)
{
    static const QStringList known = {
        QStringLiteral("limit"), QStringLiteral("windowMs"), QStringLiteral("window"),
        QStringLiteral("retryAfter"), QStringLiteral("xRateLimit"), QStringLiteral("resetFormat"),
        QStringLiteral("ietf"), QStringLiteral("hidden"), QStringLiteral("auth"),
        QStringLiteral("retryAfterSeconds"), QStringLiteral("xRateLimitLimit"),
        QStringLiteral("xRateLimitConsumed"), QStringLiteral("advertisedLimit"),
        QStringLiteral("limitSchedule"), QStringLiteral("neighbourPerSecond"), QStringLiteral("endpointMinuteMs"),
        QStringLiteral("generalLimit"), QStringLiteral("generalWindowMs")};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key())) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "unknown key '%1'").arg(it.key());
            return false;
        }
    }
    ApiPolicy next = *this;
    if (json.contains(QStringLiteral("limit"))) {
        const double v = json.value(QStringLiteral("limit")).toDouble(-1);
        if (v < 1 || v > 2e9) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "'limit' must be a positive integer");
            return false;
        }
        next.limit = int(v);
    }
    if (json.contains(QStringLiteral("windowMs"))) {
        const double v = json.value(QStringLiteral("windowMs")).toDouble(-1);
        if (v < 1 || v > 86400e3) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "'windowMs' must be between 1 and 86400000");
            return false;
        }
        next.window = std::chrono::milliseconds(qint64(v));
    }
    if (!parseEnum(kWindowKinds, json, "window", &next.kind, error)
        || !parseEnum(kRetryAfterFormats, json, "retryAfter", &next.retryAfter, error)
        || !parseEnum(kXRateLimitModes, json, "xRateLimit", &next.xRateLimit, error)
        || !parseEnum(kResetFormats, json, "resetFormat", &next.resetFormat, error)
        || !parseBool(json, "ietf", &next.ietfHeaders, error)
        || !parseBool(json, "hidden", &next.hidden, error)
        || !parseBool(json, "auth", &next.requireAuth, error)
        || !parseInt(json, "retryAfterSeconds", 0, 86400, &next.retryAfterSeconds, error)
        || !parseBool(json, "xRateLimitLimit", &next.xRateLimitLimit, error)
        || !parseBool(json, "xRateLimitConsumed", &next.xRateLimitConsumed, error)
        || !parseInt(json, "advertisedLimit", 0, 2000000000, &next.advertisedLimit, error)
        || !parseInt(json, "endpointMinuteMs", 1, 86400000, &next.endpointMinuteMs, error)
        || !parseInt(json, "generalLimit", 1, 2000000000, &next.generalLimit, error)
        || !parseInt(json, "generalWindowMs", 1, 86400000, &next.generalWindowMs, error)
        || !parseSchedule(json, &next.limitSchedule, error)) {
        return false;
    }
    if (json.contains(QStringLiteral("neighbourPerSecond"))) {
        const double v = json.value(QStringLiteral("neighbourPerSecond")).toDouble(-1);
        if (!json.value(QStringLiteral("neighbourPerSecond")).isDouble() || v < 0 || v > 100000) {
            if (error)
                *error = tr("'neighbourPerSecond' must be a number between 0 and 100000");
            return false;
        }
        next.neighbourPerSecond = v;
    }
    *this = next;
    return true;
}

} // namespace headroom::sandbox
