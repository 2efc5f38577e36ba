#pragma once

#include "core/sandbox/HttpRequest.h"
#include "core/sandbox/HttpResponse.h"
#include "core/sandbox/RateScopes.h"
#include "core/sandbox/SandboxConfig.h"
#include "core/sandbox/SandboxStats.h"

#include <optional>

namespace headroom::sandbox {

// What an emulated API needs to answer one request: the settings, the limit
// state, and the time (steady for windows, wall for header dates).
struct ApiContext
{
    const SandboxConfig &config;
    RateScopes &scopes;
    TimePoint now;
    WallTime wallNow;
};

// An API's answer, plus what the stats should count when it was accepted.
struct ApiReply
{
    ApiReply() = default;
    ApiReply(HttpResponse r, std::optional<SandboxStats::Acceptance> a = std::nullopt)
        : response(std::move(r))
        , acceptance(std::move(a))
    {
    }

    HttpResponse response;
    std::optional<SandboxStats::Acceptance> acceptance;
    // A 429 from a scope's limit: the scope and its limit, for the per-scope counts.
    std::optional<SandboxStats::Acceptance> refusal;
    // Narrower scopes that admitted the request too (an endpoint's own limit
    // under the token's): counted per scope only, never as another request.
    QList<SandboxStats::Acceptance> innerScopes;
    // Answered 200 and never processed (an oversize Pipelines call).
    bool silentlyDropped = false;
};

// One emulated service living under /<name>/ on the sandbox's port. Each
// subclass checks auth, validates the payload, asks its limit scope, and
// answers in the service's own words. Pure: no sockets, no timers.
class EmulatedApi
{
public:
    virtual ~EmulatedApi() = default;

    virtual QString name() const = 0;
    // Where this API drops a write whose dedupe key it has seen, for the
    // limit scope `scope`; empty when it deduplicates nothing.
    virtual QString dedupeScope(const QString &scope) const
    {
        Q_UNUSED(scope);
        return {};
    }
    // `subPath` is the request path below the API's prefix, e.g. "/api/v1/customers/42".
    virtual ApiReply handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context) = 0;

protected:
    // The service's own 429 body for a rejected request.
    virtual HttpResponse tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const = 0;

    // Counts the request against `scope`; answers `ok` (with rate headers) when
    // admitted, tooManyRequests() otherwise.
    ApiReply admit(const ApiContext &context, const QString &scope, const ApiPolicy &policy,
                   HttpResponse ok, int items, const QStringList &identities) const;

    // A JSON object body; an empty body reads as {} when `emptyIsObject`.
    static bool parseObject(const QByteArray &body, QJsonObject *out, bool emptyIsObject = true);
};

} // namespace headroom::sandbox
