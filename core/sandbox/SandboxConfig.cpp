#include "core/sandbox/SandboxConfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

namespace headroom::sandbox {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sandbox", text);
}

// "200ms", "1s", "1.5s", "10s", "2m" -> milliseconds; -1 when unreadable.
qint64 parseWindowMs(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d+(?:\\.\\d+)?)(ms|s|m)?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return -1;
    const double value = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    const double ms = unit == QLatin1String("ms")  ? value
                      : unit == QLatin1String("m") ? value * 60000.0
                                                   : value * 1000.0;
    return ms >= 1.0 ? qint64(ms) : -1;
}

bool splitApiValue(const QString &flag, const QString &text, QString *api, QString *value, QString *error)
{
    const qsizetype eq = text.indexOf(QLatin1Char('='));
    *api = eq < 0 ? text : text.left(eq);
    *value = eq < 0 ? QString() : text.mid(eq + 1);
    if (!SandboxConfig::apiNames().contains(*api)) {
        *error = tr("--%1: unknown API '%2' (one of %3)")
                     .arg(flag, *api, SandboxConfig::apiNames().join(QStringLiteral(", ")));
        return false;
    }
    return true;
}

bool probability(const QCommandLineParser &parser, const QString &flag, double *out, QString *error)
{
    if (!parser.isSet(flag))
        return true;
    bool ok = false;
    const double v = parser.value(flag).toDouble(&ok);
    if (!ok || v < 0.0 || v > 1.0) {
        *error = tr("--%1 must be a probability between 0 and 1").arg(flag);
        return false;
    }
    *out = v;
    return true;
}

bool integer(const QCommandLineParser &parser, const QString &flag, int min, int *out, QString *error)
{
    if (!parser.isSet(flag))
        return true;
    bool ok = false;
    const int v = parser.value(flag).toInt(&ok);
    if (!ok || v < min) {
        *error = tr("--%1 must be an integer >= %2").arg(flag).arg(min);
        return false;
    }
    *out = v;
    return true;
}

} // namespace

SandboxConfig::SandboxConfig()
{
    for (const QString &api : apiNames())
        apis.insert(api, ApiPolicy::defaultsFor(api));
}

QStringList SandboxConfig::apiNames()
{
    return {QStringLiteral("customerio-track"), QStringLiteral("customerio-app"),
            QStringLiteral("customerio-pipelines"), QStringLiteral("segment-public"),
            QStringLiteral("segment-tracking"), QStringLiteral("generic")};
}

SandboxConfig SandboxConfig::fromJson(const QJsonObject &json, QString *error)
{
    SandboxConfig config;
    QString message;
    if (!config.merge(json, &message)) {
        if (error)
            *error = message;
        return SandboxConfig();
    }
    if (error)
        error->clear();
    return config;
}

QJsonObject SandboxConfig::toJson() const
{
    QJsonObject apisJson;
    for (auto it = apis.begin(); it != apis.end(); ++it)
        apisJson.insert(it.key(), it.value().toJson());
    QJsonObject auth = credentials.toJson();
    return QJsonObject{
        {QStringLiteral("apis"), apisJson},
        {QStringLiteral("faults"), faults.toJson()},
        {QStringLiteral("auth"), auth},
        {QStringLiteral("lifetimeSeconds"), lifetimeSeconds},
        {QStringLiteral("logRequests"), logRequests},
        {QStringLiteral("maxBodyBytes"), maxBodyBytes},
    };
}

bool SandboxConfig::merge(const QJsonObject &json, QString *error)
{
    static const QStringList known = {QStringLiteral("apis"), QStringLiteral("faults"),
                                      QStringLiteral("auth"), QStringLiteral("lifetimeSeconds"),
                                      QStringLiteral("logRequests"), QStringLiteral("maxBodyBytes")};
    QString message;
    SandboxConfig next = *this;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key())) {
            message = tr("unknown key '%1'").arg(it.key());
            break;
        }
    }
    if (message.isEmpty() && json.contains(QStringLiteral("apis"))) {
        const QJsonObject apisJson = json.value(QStringLiteral("apis")).toObject();
        for (auto it = apisJson.begin(); it != apisJson.end() && message.isEmpty(); ++it) {
            if (!apiNames().contains(it.key())) {
                message = tr("unknown API '%1' (one of %2)").arg(it.key(), apiNames().join(QStringLiteral(", ")));
                break;
            }
            ApiPolicy policy = next.policy(it.key());
            QString why;
            if (!it.value().isObject() || !policy.merge(it.value().toObject(), &why))
                message = tr("apis.%1: %2").arg(it.key(), why.isEmpty() ? tr("must be an object") : why);
            else
                next.apis.insert(it.key(), policy);
        }
    }
    if (message.isEmpty() && json.contains(QStringLiteral("faults"))) {
        QString why;
        if (!next.faults.merge(json.value(QStringLiteral("faults")).toObject(), &why))
            message = tr("faults: %1").arg(why);
    }
    if (message.isEmpty() && json.contains(QStringLiteral("auth"))) {
        QString why;
        if (!next.credentials.merge(json.value(QStringLiteral("auth")).toObject(), &why))
            message = tr("auth: %1").arg(why);
    }
    if (message.isEmpty() && json.contains(QStringLiteral("lifetimeSeconds"))) {
        const double v = json.value(QStringLiteral("lifetimeSeconds")).toDouble(-1);
        if (v < 0 || v > 1e7)
            message = tr("'lifetimeSeconds' must be a non-negative integer");
        else
            next.lifetimeSeconds = int(v);
    }
    if (message.isEmpty() && json.contains(QStringLiteral("logRequests"))) {
        if (!json.value(QStringLiteral("logRequests")).isBool())
            message = tr("'logRequests' must be true or false");
        else
            next.logRequests = json.value(QStringLiteral("logRequests")).toBool();
    }
    if (message.isEmpty() && json.contains(QStringLiteral("maxBodyBytes"))) {
        const double v = json.value(QStringLiteral("maxBodyBytes")).toDouble(-1);
        if (v < 1024 || v > 1024.0 * 1024 * 1024)
            message = tr("'maxBodyBytes' must be between 1024 and 1073741824");
        else
            next.maxBodyBytes = qint64(v);
    }
    if (!message.isEmpty()) {
        if (error)
            *error = message;
        return false;
    }
    *this = next;
    return true;
}

void SandboxConfig::addFlags(QCommandLineParser &parser)
{
    const QString apiList = apiNames().join(QStringLiteral(", "));
    parser.addOptions({
        {QStringLiteral("limit"), tr("Limit of an API, e.g. customerio-track=100/1s (repeatable). APIs: %1.").arg(apiList), QStringLiteral("api=N/window")},
        {QStringLiteral("window-kind"), tr("Window kind of an API: api=sliding|rolling|fixed|fixed-clock|gcra (repeatable)."), QStringLiteral("api=kind")},
        {QStringLiteral("retry-after"), tr("What a 429 of an API carries: api=seconds|http-date|none|constant (repeatable)."), QStringLiteral("api=format")},
        {QStringLiteral("x-ratelimit"), tr("X-RateLimit-* headers of an API: api=off|on429|always (repeatable)."), QStringLiteral("api=mode")},
        {QStringLiteral("hidden"), tr("No rate headers at all for this API (repeatable)."), QStringLiteral("api")},
        {QStringLiteral("ietf"), tr("Add IETF RateLimit / RateLimit-Policy headers to this API (repeatable)."), QStringLiteral("api")},
        {QStringLiteral("latency-ms"), tr("Latency added to every API answer."), QStringLiteral("ms")},
        {QStringLiteral("jitter"), tr("Random extra latency, 0..ms."), QStringLiteral("ms")},
        {QStringLiteral("fault-500"), tr("Probability of a 500 answer."), QStringLiteral("p")},
        {QStringLiteral("fault-502"), tr("Probability of a 502 answer."), QStringLiteral("p")},
        {QStringLiteral("fault-503"), tr("Probability of a 503 answer."), QStringLiteral("p")},
        {QStringLiteral("drop"), tr("Probability of closing the connection mid-request."), QStringLiteral("p")},
        {QStringLiteral("lost-answer"), tr("Probability that an accepted request's answer is lost (counted, then the connection closes)."), QStringLiteral("p")},
        {QStringLiteral("stall"), tr("Probability of a long stall."), QStringLiteral("p")},
        {QStringLiteral("stall-ms"), tr("Length of a stall."), QStringLiteral("ms")},
        {QStringLiteral("outage-after"), tr("Start an outage this many seconds after start."), QStringLiteral("seconds")},
        {QStringLiteral("outage-seconds"), tr("Length of the scheduled outage."), QStringLiteral("seconds")},
        {QStringLiteral("outage-mode"), tr("fail (503 to everything) or refuse (connections refused)."), QStringLiteral("mode")},
        {QStringLiteral("seed"), tr("Seed of the fault dice (0 = random)."), QStringLiteral("n")},
        {QStringLiteral("lifetime"), tr("Exit after this many seconds (0 = never)."), QStringLiteral("seconds")},
        {QStringLiteral("log-requests"), tr("Log one line per request (slower).")},
    });
}

bool SandboxConfig::applyFlags(const QCommandLineParser &parser, QString *error)
{
    QString message;
    SandboxConfig next = *this;
    auto fail = [&](const QString &m) {
        if (error)
            *error = m;
        return false;
    };

    const QStringList limits = parser.values(QStringLiteral("limit"));
    for (const QString &spec : limits) {
        QString api, value;
        if (!splitApiValue(QStringLiteral("limit"), spec, &api, &value, &message))
            return fail(message);
        const QStringList parts = value.split(QLatin1Char('/'));
        bool ok = false;
        const int limit = parts.value(0).toInt(&ok);
        if (!ok || limit < 1 || parts.size() > 2)
            return fail(tr("--limit %1: expected api=N or api=N/window, e.g. customerio-track=100/1s").arg(spec));
        ApiPolicy &policy = next.apis[api];
        policy.limit = limit;
        if (parts.size() == 2) {
            const qint64 ms = parseWindowMs(parts.at(1));
            if (ms < 1)
                return fail(tr("--limit %1: unreadable window '%2' (e.g. 200ms, 1s, 1m)").arg(spec, parts.at(1)));
            policy.window = std::chrono::milliseconds(ms);
        }
    }
    struct KeyedFlag
    {
        const char *flag;
        const char *key;
    };
    const KeyedFlag keyed[] = {{"window-kind", "window"}, {"retry-after", "retryAfter"}, {"x-ratelimit", "xRateLimit"}};
    for (const KeyedFlag &k : keyed) {
        const QString flag = QString::fromLatin1(k.flag);
        for (const QString &spec : parser.values(flag)) {
            QString api, value;
            if (!splitApiValue(flag, spec, &api, &value, &message))
                return fail(message);
            QString why;
            if (!next.apis[api].merge(QJsonObject{{QString::fromLatin1(k.key), value}}, &why))
                return fail(QStringLiteral("--%1 %2: %3").arg(flag, spec, why));
        }
    }
    for (const QString &spec : parser.values(QStringLiteral("hidden"))) {
        QString api, value;
        if (!splitApiValue(QStringLiteral("hidden"), spec, &api, &value, &message))
            return fail(message);
        next.apis[api].hidden = true;
    }
    for (const QString &spec : parser.values(QStringLiteral("ietf"))) {
        QString api, value;
        if (!splitApiValue(QStringLiteral("ietf"), spec, &api, &value, &message))
            return fail(message);
        next.apis[api].ietfHeaders = true;
    }
    if (!integer(parser, QStringLiteral("latency-ms"), 0, &next.faults.latencyMs, &message)
        || !integer(parser, QStringLiteral("jitter"), 0, &next.faults.jitterMs, &message)
        || !probability(parser, QStringLiteral("fault-500"), &next.faults.error500, &message)
        || !probability(parser, QStringLiteral("fault-502"), &next.faults.error502, &message)
        || !probability(parser, QStringLiteral("fault-503"), &next.faults.error503, &message)
        || !probability(parser, QStringLiteral("drop"), &next.faults.drop, &message)
        || !probability(parser, QStringLiteral("lost-answer"), &next.faults.lostAnswer, &message)
        || !probability(parser, QStringLiteral("stall"), &next.faults.stall, &message)
        || !integer(parser, QStringLiteral("stall-ms"), 0, &next.faults.stallMs, &message)
        || !integer(parser, QStringLiteral("outage-after"), 0, &next.faults.outageAfterSeconds, &message)
        || !integer(parser, QStringLiteral("outage-seconds"), 0, &next.faults.outageSeconds, &message)
        || !integer(parser, QStringLiteral("lifetime"), 0, &next.lifetimeSeconds, &message)) {
        return fail(message);
    }
    if (parser.isSet(QStringLiteral("outage-mode"))
        && !FaultPlan::parseOutageMode(parser.value(QStringLiteral("outage-mode")), &next.faults.outageMode)) {
        return fail(tr("--outage-mode must be 'fail' or 'refuse'"));
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        next.faults.seed = parser.value(QStringLiteral("seed")).toUInt(&ok);
        if (!ok)
            return fail(tr("--seed must be an unsigned integer"));
    }
    if (parser.isSet(QStringLiteral("log-requests")))
        next.logRequests = true;
    *this = next;
    return true;
}

} // namespace headroom::sandbox
