#include "run/RunPlan.h"

#include "http/RequestFactory.h"

#include "apis/ApiProfile.h"
#include "imports/Mapping.h"
#include "imports/RecordReader.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>

#include <cmath>

namespace headroom::run {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RunPlan", text);
}

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host == QLatin1String("localhost"))
        return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

} // namespace

int RunPlan::automaticConcurrency(std::optional<double> ratePerS)
{
    if (!ratePerS || *ratePerS <= 0)
        return 48;
    return std::clamp(int(std::ceil(*ratePerS * 0.6)) + 2, 6, 128);
}

std::optional<RunPlan> RunPlan::build(const RunSettings &settings, const QProcessEnvironment &env,
                                      std::optional<quint16> sandboxPort, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<RunPlan> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const apis::ApiProfile *profile = apis::ApiProfile::find(settings.profile);
    if (!profile) {
        return fail(tr("unknown profile '%1'; expected one of: %2")
                        .arg(settings.profile, apis::ApiProfile::names().join(QStringLiteral(", "))));
    }

    RunPlan plan;
    plan.settings = settings;

    QUrl baseUrl;
    if (settings.sandbox) {
        if (!sandboxPort)
            return fail(tr("the embedded sandbox is not running"));
        baseUrl = profile->sandboxUrl(*sandboxPort);
    } else if (!settings.baseUrl.isEmpty()) {
        baseUrl = settings.baseUrl;
    } else {
        baseUrl = profile->baseUrl(settings.region);
        if (baseUrl.isEmpty() && !settings.region.isEmpty() && !profile->regions.isEmpty())
            return fail(tr("profile %1 has no region '%2'").arg(profile->name, settings.region));
    }
    if (baseUrl.isEmpty())
        return fail(tr("profile %1 needs --base-url").arg(profile->name));
    if (!baseUrl.isValid() || (baseUrl.scheme() != QLatin1String("https") && baseUrl.scheme() != QLatin1String("http")))
        return fail(tr("base URL '%1' is not an http(s) URL").arg(baseUrl.toString(QUrl::RemoveUserInfo)));
    if (!baseUrl.userInfo().isEmpty())
        return fail(tr("the base URL must not carry credentials; use the environment variables"));
    const bool loopback = isLoopback(baseUrl);
    if (baseUrl.scheme() == QLatin1String("http") && !loopback)
        return fail(tr("refusing to send credentials over plain http to %1; use https").arg(baseUrl.host()));

    QString credentialError;
    std::optional<http::Credentials> credentials = http::Credentials::fromEnvironment(*profile, env, &credentialError);
    if (!credentials) {
        if (!loopback)
            return fail(credentialError);
        credentials = http::Credentials::sandboxDefaults(*profile); // a local rehearsal
    }

    LaneConfig lane;
    lane.baseUrl = baseUrl;
    lane.credentials = *credentials;
    lane.name = profile->name + (lane.credentials.scopeName().isEmpty() ? QString()
                                                                         : QLatin1Char(' ') + lane.credentials.scopeName());
    std::optional<int> limit = settings.rate;
    Duration window = settings.window.value_or(std::chrono::seconds(1));
    if (!limit && profile->rate) {
        limit = profile->rate->limit;
        if (!settings.window)
            window = profile->rate->window;
    }
    if (limit && *limit <= 0)
        return fail(tr("--rate must be a positive number of requests"));
    if (window <= Duration::zero())
        return fail(tr("--window must be longer than zero"));

    switch (settings.strategy) {
    case RunSettings::Strategy::Auto:
        lane.limit = limit;
        lane.followHeaders = true;
        lane.discover = !limit;
        break;
    case RunSettings::Strategy::Fixed:
        if (!limit)
            return fail(tr("strategy 'fixed' needs --rate (profile %1 documents no limit)").arg(profile->name));
        lane.limit = limit;
        lane.followHeaders = false;
        break;
    case RunSettings::Strategy::Headers:
        lane.limit = settings.rate; // only an explicit one
        lane.followHeaders = true;
        break;
    case RunSettings::Strategy::Discover:
        lane.discover = true;
        lane.followHeaders = true;
        break;
    }
    lane.window = window;
    lane.tokenBucket = settings.tokenBucket;
    lane.burst = settings.burst;
    if (settings.margin)
        lane.slidingMargin = *settings.margin;
    std::optional<double> ratePerS;
    if (lane.limit)
        ratePerS = double(*lane.limit) / std::chrono::duration<double>(window).count();
    lane.concurrency = settings.concurrency > 0 ? settings.concurrency : automaticConcurrency(ratePerS);
    lane.transferTimeout = settings.timeout;
    lane.retry.maxAttempts = std::max(1, settings.maxAttempts);
    if (!settings.sharedBudget.isEmpty()) {
        QString urlError;
        std::optional<budget::RedisUrl> url = budget::RedisUrl::parse(settings.sharedBudget, &urlError);
        if (!url)
            return fail(urlError);
        // run.json keeps the URL with "***" for a password; the real one comes
        // from the environment (and may always come from there).
        if (url->password == QLatin1String("***"))
            url->password.clear();
        if (env.contains(QStringLiteral("HEADROOM_REDIS_PASSWORD")))
            url->password = env.value(QStringLiteral("HEADROOM_REDIS_PASSWORD"));
        if (url->sendsPasswordInClear() && !settings.insecureRedis)
            return fail(tr("--shared-budget: the Redis password would cross the network in clear to %1; use "
                           "rediss://, or --insecure-redis if the network is yours")
                            .arg(url->host));
        if (!lane.limit)
            return fail(tr("--shared-budget needs a known limit: give --rate (profile %1 documents none)")
                            .arg(profile->name));
        budget::SharedBudgetConfig shared;
        shared.url = *url;
        shared.limit = *lane.limit;
        shared.period = window;
        shared.fallbackShare = url->fallbackShare;
        shared.publishHeaderLimit = lane.followHeaders;
        shared.allowPasswordInClear = settings.insecureRedis;
        lane.sharedBudget = shared;
    }
    plan.lanes << lane;

    imports::CallSourceOptions &source = plan.sourceOptions;
    source.filePath = settings.file;
    source.profile = profile->name;
    source.batching = settings.batch;
    source.messageIdPrefix = settings.messageIdPrefix;
    // The last check before a call is queued: its URL stays under the base path.
    source.refuse = [urls = http::RequestFactory(lane.baseUrl, {})](const imports::ApiCall &call) {
        return urls.refusalFor(call.path);
    };
    if (const auto format = imports::RecordReader::formatFromName(settings.format))
        source.format = *format;
    else
        return fail(tr("--format must be csv, jsonl or json"));
    if (settings.batch && !profile->hasBatchEndpoint)
        return fail(tr("profile %1 has no batch endpoint; drop --batch").arg(profile->name));
    if (!settings.mappingFile.isEmpty()) {
        QString mappingError;
        source.mapping = imports::Mapping::fromFile(settings.mappingFile, &mappingError);
        if (!source.mapping)
            return fail(mappingError);
    }
    return plan;
}

std::unique_ptr<imports::CallSource> RunPlan::makeSource(std::function<bool(qint64)> skip) const
{
    imports::CallSourceOptions options = sourceOptions;
    options.skip = std::move(skip);
    return std::make_unique<imports::CallSource>(std::move(options));
}

QList<QByteArray> RunPlan::secrets() const
{
    QList<QByteArray> out;
    for (const LaneConfig &lane : lanes) {
        out << lane.credentials.secrets();
        if (lane.sharedBudget && !lane.sharedBudget->url.password.isEmpty())
            out << lane.sharedBudget->url.password.toUtf8();
    }
    return out;
}

} // namespace headroom::run
