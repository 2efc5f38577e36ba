#include "core/run/RunPlan.h"

#include "core/http/RequestFactory.h"

#include "core/apis/ApiProfile.h"
#include "core/imports/IdempotencyKey.h"
#include "core/imports/Mapping.h"
#include "core/imports/RecordReader.h"
#include "core/scopes/LimitsFile.h"
#include "core/scopes/ProfileScopes.h"

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

// The console's own windows for scopes other than main (whose limit the
// rate sets), as a limits file would override them; a name the profile does
// not have is refused.
bool applyScopeLimits(const RunSettings &settings, const apis::ApiProfile &profile, scopes::ScopeSet &set,
                      QString *message)
{
    const QStringList unknown = set.applyLimits(settings.scopeLimits);
    if (!unknown.isEmpty()) {
        *message = tr("scope limits: %1 is not a scope of profile %2 whose limit can be set (main's is the rate)")
                       .arg(unknown.join(QStringLiteral(", ")), profile.name);
        return false;
    }
    return true;
}

// The API's rate scopes, when it has more than its main one or the operator
// gave a limits file: the main lane keeps the limit the pacing chose
// (`--rate/--window` set it, and win over the file's main windows), the
// other scopes start from their documented or given windows.
bool applyScopes(const RunSettings &settings, const apis::ApiProfile &profile, LaneConfig &lane, QString *message)
{
    scopes::ScopeSet set = scopes::ProfileScopes::forProfile(profile.name);
    if (lane.limit)
        set.setMainWindows({{*lane.limit, lane.window}});
    if (!settings.limitsFile.isEmpty()) {
        const scopes::LimitsResult limits = scopes::LimitsFile::load(settings.limitsFile, profile.name, set);
        if (!limits.ok()) {
            *message = limits.errors.join(QLatin1Char('\n'));
            return false;
        }
        const QList<scopes::ScopeWindow> mainWindows = limits.scopes.main().windows();
        const bool fileSetsMain = mainWindows != set.main().windows();
        set = limits.scopes;
        if (!settings.rate && fileSetsMain && !mainWindows.isEmpty()) {
            lane.limit = mainWindows.first().limit;
            lane.window = mainWindows.first().per;
            lane.extraWindows = mainWindows.mid(1);
            lane.discover = false;
            if (settings.concurrency <= 0)
                lane.concurrency = RunPlan::automaticConcurrency(double(*lane.limit)
                                                                 / std::chrono::duration<double>(lane.window).count());
        } else if (lane.limit) {
            set.setMainWindows({{*lane.limit, lane.window}});
        }
    }
    if (!applyScopeLimits(settings, profile, set, message))
        return false;
    if (set.scopes().size() > 1 || !settings.limitsFile.isEmpty() || !settings.scopeLimits.isEmpty())
        lane.scopes = set;
    return true;
}

// The knobs that follow from the pacing without refusing anything: the
// concurrency defaults to what the rate needs.
void applyLaneTuning(const RunSettings &settings, Duration window, LaneConfig &lane)
{
    lane.window = window;
    lane.tokenBucket = settings.tokenBucket;
    lane.burst = settings.burst;
    if (settings.margin)
        lane.slidingMargin = *settings.margin;
    std::optional<double> ratePerS;
    if (lane.limit)
        ratePerS = double(*lane.limit) / std::chrono::duration<double>(window).count();
    lane.concurrency = settings.concurrency > 0 ? settings.concurrency : RunPlan::automaticConcurrency(ratePerS);
    lane.transferTimeout = settings.timeout;
    lane.retry.maxAttempts = std::max(1, settings.maxAttempts);
}

// Where the lane sends: the sandbox, an explicit --base-url, or the
// profile's URL for the region. Credentials never travel in the URL, nor in
// clear to another machine, so such URLs are refused here.
bool resolveBaseUrl(const RunSettings &settings, const apis::ApiProfile &profile, std::optional<quint16> sandboxPort,
                    QUrl *baseUrlOut, QString *message)
{
    QUrl baseUrl;
    if (settings.sandbox) {
        if (!sandboxPort) {
            *message = tr("the embedded sandbox is not running");
            return false;
        }
        baseUrl = profile.sandboxUrl(*sandboxPort);
    } else if (!settings.baseUrl.isEmpty()) {
        baseUrl = settings.baseUrl;
    } else {
        baseUrl = profile.baseUrl(settings.region);
        if (baseUrl.isEmpty() && !settings.region.isEmpty() && !profile.regions.isEmpty()) {
            *message = tr("profile %1 has no region '%2'").arg(profile.name, settings.region);
            return false;
        }
    }
    if (baseUrl.isEmpty())
        *message = tr("profile %1 needs --base-url").arg(profile.name);
    else if (!baseUrl.isValid() || (baseUrl.scheme() != QLatin1String("https") && baseUrl.scheme() != QLatin1String("http")))
        *message = tr("base URL '%1' is not an http(s) URL").arg(baseUrl.toString(QUrl::RemoveUserInfo));
    else if (!baseUrl.userInfo().isEmpty())
        *message = tr("the base URL must not carry credentials; use the environment variables");
    else if (baseUrl.scheme() == QLatin1String("http") && !isLoopback(baseUrl))
        *message = tr("refusing to send credentials over plain http to %1; use https").arg(baseUrl.host());
    else {
        *baseUrlOut = baseUrl;
        return true;
    }
    return false;
}

// Credentials come from the environment; a run against this machine without
// them is a local rehearsal and gets the sandbox's.
std::optional<http::Credentials> resolveCredentials(const apis::ApiProfile &profile, const QProcessEnvironment &env,
                                                    const QUrl &baseUrl, QString *message)
{
    QString credentialError;
    std::optional<http::Credentials> credentials = http::Credentials::fromEnvironment(profile, env, &credentialError);
    if (!credentials) {
        if (!isLoopback(baseUrl)) {
            *message = credentialError;
            return std::nullopt;
        }
        credentials = http::Credentials::sandboxDefaults(profile);
    }
    return credentials;
}

// The limit and window the lane paces to, and how the strategy uses them: an
// explicit --rate wins over the profile's documented one.
bool applyPacing(const RunSettings &settings, const apis::ApiProfile &profile, LaneConfig &lane, QString *message)
{
    std::optional<int> limit = settings.rate;
    Duration window = settings.window.value_or(std::chrono::seconds(1));
    if (!limit && profile.rate) {
        limit = profile.rate->limit;
        if (!settings.window)
            window = profile.rate->window;
    }
    if (limit && *limit <= 0) {
        *message = tr("--rate must be a positive number of requests");
        return false;
    }
    if (window <= Duration::zero()) {
        *message = tr("--window must be longer than zero");
        return false;
    }

    switch (settings.strategy) {
    case RunSettings::Strategy::Auto:
        lane.limit = limit;
        lane.followHeaders = true;
        lane.discover = !limit;
        break;
    case RunSettings::Strategy::Fixed:
        if (!limit) {
            *message = tr("strategy 'fixed' needs --rate (profile %1 documents no limit)").arg(profile.name);
            return false;
        }
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
    applyLaneTuning(settings, window, lane);
    return true;
}

// A budget shared with other runs through Redis. It needs a known limit to
// share, and refuses to send the Redis password in clear unless told the
// network is the operator's.
std::optional<budget::SharedBudgetConfig> sharedBudgetFor(const RunSettings &settings, const QProcessEnvironment &env,
                                                          const apis::ApiProfile &profile, const LaneConfig &lane,
                                                          QString *message)
{
    QString urlError;
    std::optional<budget::RedisUrl> url = budget::RedisUrl::parse(settings.sharedBudget, &urlError);
    if (!url) {
        *message = urlError;
        return std::nullopt;
    }
    // run.json keeps the URL with "***" for a password; the real one comes
    // from the environment (and may always come from there).
    if (url->password == QLatin1String("***"))
        url->password.clear();
    if (env.contains(QStringLiteral("HEADROOM_REDIS_PASSWORD")))
        url->password = env.value(QStringLiteral("HEADROOM_REDIS_PASSWORD"));
    if (url->sendsPasswordInClear() && !settings.insecureRedis) {
        *message = tr("--shared-budget: the Redis password would cross the network in clear to %1; use "
                      "rediss://, or --insecure-redis if the network is yours")
                       .arg(url->host);
        return std::nullopt;
    }
    if (!lane.limit) {
        *message = tr("--shared-budget needs a known limit: give --rate (profile %1 documents none)").arg(profile.name);
        return std::nullopt;
    }
    budget::SharedBudgetConfig shared;
    shared.url = *url;
    shared.limit = *lane.limit;
    shared.period = lane.window;
    shared.fallbackShare = url->fallbackShare;
    shared.publishHeaderLimit = lane.followHeaders;
    shared.allowPasswordInClear = settings.insecureRedis;
    return shared;
}

// How the run opens its file and turns rows into calls.
bool fillSourceOptions(const RunSettings &settings, const apis::ApiProfile &profile, const QUrl &baseUrl,
                       imports::CallSourceOptions &source, QString *message)
{
    source.filePath = settings.file;
    source.profile = profile.name;
    source.batching = settings.batch;
    source.messageIdPrefix = settings.messageIdPrefix;
    // The last check before a call is queued: its URL stays under the base path.
    source.refuse = [urls = http::RequestFactory(baseUrl, {})](const imports::ApiCall &call) {
        return urls.refusalFor(call.path);
    };
    if (const auto format = imports::RecordReader::formatFromName(settings.format)) {
        source.format = *format;
    } else {
        *message = tr("--format must be csv, jsonl or json");
        return false;
    }
    if (settings.batch && !profile.hasBatchEndpoint) {
        *message = tr("profile %1 has no batch endpoint; drop --batch").arg(profile.name);
        return false;
    }
    if (!settings.mappingFile.isEmpty()) {
        QString mappingError;
        source.mapping = imports::Mapping::fromFile(settings.mappingFile, &mappingError);
        if (!source.mapping) {
            *message = mappingError;
            return false;
        }
    }
    return true;
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
    // Each step leaves its reason in `message` and returns false; the first
    // refusal is the one the operator sees.
    QString message;
    auto fail = [error, &message]() -> std::optional<RunPlan> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const apis::ApiProfile *profile = apis::ApiProfile::find(settings.profile);
    if (!profile) {
        message = tr("unknown profile '%1'; expected one of: %2")
                      .arg(settings.profile, apis::ApiProfile::names().join(QStringLiteral(", ")));
        return fail();
    }

    RunPlan plan;
    plan.settings = settings;

    LaneConfig lane;
    if (!resolveBaseUrl(settings, *profile, sandboxPort, &lane.baseUrl, &message))
        return fail();
    std::optional<http::Credentials> credentials = resolveCredentials(*profile, env, lane.baseUrl, &message);
    if (!credentials)
        return fail();
    lane.credentials = *credentials;
    lane.resendAmbiguous = settings.resendAmbiguous;
    lane.name = profile->name + (lane.credentials.scopeName().isEmpty() ? QString() : QLatin1Char(' ') + lane.credentials.scopeName());
    if (!applyPacing(settings, *profile, lane, &message))
        return fail();
    if (!settings.sharedBudget.isEmpty()) {
        std::optional<budget::SharedBudgetConfig> shared = sharedBudgetFor(settings, env, *profile, lane, &message);
        if (!shared)
            return fail();
        lane.sharedBudget = shared;
    }
    if (!applyScopes(settings, *profile, lane, &message))
        return fail();
    plan.lanes << lane;

    if (!fillSourceOptions(settings, *profile, lane.baseUrl, plan.sourceOptions, &message))
        return fail();
    plan.sourceOptions.destination =
        imports::IdempotencyKey::destinationOf(profile->name, lane.baseUrl, lane.credentials.scopeName());
    return plan;
}

std::unique_ptr<imports::CallSource>
RunPlan::makeSource(std::function<bool(qint64)> skip,
                    std::function<bool(const imports::MappedRow &, qint64)> filter,
                    std::function<void(const imports::MappedRow &, qint64)> skipped) const
{
    imports::CallSourceOptions options = sourceOptions;
    options.skip = std::move(skip);
    options.filter = std::move(filter);
    options.skipped = std::move(skipped);
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

double RunPlan::mainRatePerS() const
{
    if (lanes.isEmpty() || !lanes.front().limit || settings.batch)
        return 0;
    const double window = std::chrono::duration<double>(lanes.front().window).count();
    return window > 0 ? double(*lanes.front().limit) / window : 0;
}

} // namespace headroom::run
