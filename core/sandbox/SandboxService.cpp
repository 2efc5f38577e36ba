#include "core/sandbox/SandboxService.h"

#include "core/sandbox/CustomerIoAppApi.h"
#include "core/sandbox/CustomerIoPipelinesApi.h"
#include "core/sandbox/CustomerIoTrackApi.h"
#include "core/sandbox/GenericApi.h"
#include "core/sandbox/SegmentPublicApi.h"
#include "core/sandbox/SegmentTrackingApi.h"

#include <QCoreApplication>

namespace headroom::sandbox {

SandboxService::SandboxService(const SandboxConfig &config, SandboxStats &stats)
    : m_config(config)
    , m_stats(stats)
    , m_faults(config.faults.seed)
{
    m_apis.push_back(std::make_unique<CustomerIoTrackApi>());
    m_apis.push_back(std::make_unique<CustomerIoAppApi>());
    m_apis.push_back(std::make_unique<SegmentPublicApi>());
    m_apis.push_back(std::make_unique<SegmentTrackingApi>());
    m_apis.push_back(std::make_unique<CustomerIoPipelinesApi>());
    m_apis.push_back(std::make_unique<GenericApi>());
    m_scopes.setNeighbourSink([this](const QString &scope, const ApiPolicy &policy, TimePoint at,
                                     const RateDecision &decision) {
        SandboxStats::Acceptance a;
        a.scope = scope;
        a.api = scope.section(QLatin1Char('/'), 0, 0); // scopes are named "<api>/<key>"
        a.limit = policy.limit;
        a.window = policy.window;
        a.fixedWindow = policy.kind == WindowKind::Fixed || policy.kind == WindowKind::FixedClock;
        a.windowKind = ApiPolicy::windowKindName(policy.kind);
        m_stats.recordNeighbour(a, at, decision);
    });
}

SandboxService::~SandboxService() = default;

void SandboxService::setConfig(const SandboxConfig &config)
{
    if (config.faults.seed != m_config.faults.seed)
        m_faults.reseed(config.faults.seed);
    m_config = config;
}

void SandboxService::startOutage(TimePoint now, Duration length, OutageMode mode)
{
    m_outageMode = mode;
    m_outageUntil = length > Duration::zero() ? now + length : TimePoint();
}

EmulatedApi *SandboxService::apiFor(const QByteArray &path, QByteArray *subPath) const
{
    for (const auto &api : m_apis) {
        const QByteArray prefix = '/' + api->name().toLatin1();
        if (path.startsWith(prefix) && (path.size() == prefix.size() || path.at(prefix.size()) == '/')) {
            *subPath = path.mid(prefix.size());
            if (subPath->isEmpty())
                *subPath = QByteArrayLiteral("/");
            return api.get();
        }
    }
    return nullptr;
}

SandboxService::Outcome SandboxService::handle(const HttpRequest &request, TimePoint now, WallTime wallNow)
{
    Outcome outcome;
    QByteArray subPath;
    EmulatedApi *api = apiFor(request.path, &subPath);
    if (!api) {
        outcome.response = HttpResponse::json(404, QJsonObject{
                                                       {QStringLiteral("error"), QCoreApplication::translate("sandbox",
                                                                                                             "no such API; use /customerio-track, /customerio-app, /customerio-pipelines, /segment-public, /segment-tracking or /generic")}});
        return outcome;
    }
    outcome.api = api->name();

    if (outageActive(now)) {
        if (m_outageMode == OutageMode::Refuse) {
            outcome.drop = true;
            m_stats.recordDropped(outcome.api);
        } else {
            outcome.response = HttpResponse::json(503, QJsonObject{
                                                           {QStringLiteral("error"), QCoreApplication::translate("sandbox", "service unavailable (outage)")}});
            m_stats.recordRejected(outcome.api, 503);
        }
        return outcome;
    }

    const FaultInjector::Decision fault = m_faults.decide(m_config.faults, outcome.api);
    outcome.delay = fault.delay;
    if (fault.drop) {
        outcome.drop = true;
        m_stats.recordDropped(outcome.api);
        return outcome;
    }
    if (fault.errorStatus != 0) {
        outcome.response = HttpResponse::json(fault.errorStatus, QJsonObject{
                                                                     {QStringLiteral("error"), QString::fromLatin1(HttpResponse::reasonPhrase(fault.errorStatus))}});
        m_stats.recordRejected(outcome.api, fault.errorStatus);
        return outcome;
    }

    const ApiContext context{m_config, m_scopes, now, wallNow};
    ApiReply reply = api->handle(request, subPath, context);
    if (reply.acceptance)
        m_stats.recordAccepted(*reply.acceptance, now);
    else if (reply.silentlyDropped)
        m_stats.recordSilentlyDropped(outcome.api);
    else
        m_stats.recordRejected(outcome.api, reply.response.status);
    for (const SandboxStats::Acceptance &inner : std::as_const(reply.innerScopes))
        m_stats.recordScopeAccepted(inner, now);
    if (reply.refusal)
        m_stats.recordLimited(*reply.refusal);
    if (fault.loseAnswer && reply.acceptance) {
        // Counted and applied above; the client never learns it.
        outcome.drop = true;
        m_stats.recordLostAnswer(outcome.api);
        return outcome;
    }
    outcome.response = std::move(reply.response);
    return outcome;
}

} // namespace headroom::sandbox
