#include "core/sandbox/EmulatedApi.h"

#include "core/sandbox/RateHeaders.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace headroom::sandbox {

ApiReply EmulatedApi::admit(const ApiContext &context, const QString &scope, const ApiPolicy &policy,
                            HttpResponse ok, int items, const QStringList &identities) const
{
    const RateDecision decision = context.scopes.admit(scope, policy, context.now, context.wallNow);
    ApiReply reply;
    SandboxStats::Acceptance a;
    a.api = name();
    a.scope = scope;
    a.limit = policy.limit;
    a.window = policy.window;
    a.fixedWindow = policy.kind == WindowKind::Fixed || policy.kind == WindowKind::FixedClock;
    a.windowKind = ApiPolicy::windowKindName(policy.kind);
    a.fixedWindowStart = decision.fixedWindowStart;
    if (!decision.allowed) {
        reply.response = tooManyRequests(decision, policy);
        RateHeaders::apply(reply.response, policy, decision, context.wallNow);
        reply.refusal = a;
        return reply;
    }
    reply.response = std::move(ok);
    RateHeaders::apply(reply.response, policy, decision, context.wallNow);
    a.items = items;
    a.identities = identities;
    a.dedupeScope = dedupeScope(scope);
    reply.acceptance = a;
    return reply;
}

bool EmulatedApi::parseObject(const QByteArray &body, QJsonObject *out, bool emptyIsObject)
{
    if (body.trimmed().isEmpty()) {
        *out = QJsonObject();
        return emptyIsObject;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    *out = doc.object();
    return true;
}

} // namespace headroom::sandbox
