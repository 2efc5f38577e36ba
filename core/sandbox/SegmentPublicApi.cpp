#include "core/sandbox/SegmentPublicApi.h"

#include "core/sandbox/RequestAuth.h"
#include "core/sandbox/RowIdentity.h"
#include "core/sandbox/SegmentEndpointLimits.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace headroom::sandbox {

namespace {

HttpResponse errorResponse(int status, const QString &type, const QString &message, const QJsonObject &data = {})
{
    QJsonObject error{{QStringLiteral("type"), type}, {QStringLiteral("message"), message}};
    if (!data.isEmpty())
        error.insert(QStringLiteral("data"), data);
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("errors"), QJsonArray{error}}});
}

} // namespace

HttpResponse SegmentPublicApi::tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const
{
    QJsonObject data;
    if (!policy.hidden) {
        data = QJsonObject{
            {QStringLiteral("remainingPoints"), decision.remaining},
            {QStringLiteral("msBeforeNext"),
             qint64(std::chrono::duration_cast<std::chrono::milliseconds>(decision.retryIn).count())},
            {QStringLiteral("consumedPoints"), decision.consumed}};
    }
    return errorResponse(429, QStringLiteral("too-many-requests"),
                         QCoreApplication::translate("sandbox", "Too many requests"), data);
}

ApiReply SegmentPublicApi::handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context)
{
    const ApiPolicy policy = context.config.policy(name());
    QString token = QStringLiteral("anonymous");
    if (policy.requireAuth) {
        token = RequestAuth::bearer(request);
        if (token.isEmpty() || !context.config.credentials.bearerTokens.contains(token)) {
            return {errorResponse(401, QStringLiteral("unauthorized"),
                                  QCoreApplication::translate("sandbox", "Unauthorized")),
                    std::nullopt};
        }
    }
    QJsonObject body;
    if (!parseObject(request.body, &body)) {
        return {errorResponse(400, QStringLiteral("bad-request"),
                              QCoreApplication::translate("sandbox", "malformed JSON body")),
                std::nullopt};
    }
    const QString identity = RowIdentity::ofRequest(request, body);
    HttpResponse ok = HttpResponse::json(200, QJsonObject{{QStringLiteral("data"), QJsonObject{
                                                                                       {QStringLiteral("method"), QString::fromLatin1(request.method)},
                                                                                       {QStringLiteral("path"), QString::fromUtf8(subPath)}}}});
    const QStringList identities = identity.isEmpty() ? QStringList() : QStringList{identity};
    // An endpoint with a per-minute limit of its own is refused by it first
    // (a fixed window opened by its first request, rejected requests
    // consumed, as the token's); then the token's budget decides.
    std::optional<SandboxStats::Acceptance> endpointAcceptance;
    if (const auto endpoint = SegmentEndpointLimits::find(request.method, subPath)) {
        ApiPolicy endpointPolicy = policy;
        endpointPolicy.limit = endpoint->perMinute;
        endpointPolicy.window = std::chrono::milliseconds(policy.endpointMinuteMs);
        endpointPolicy.limitSchedule.clear();
        endpointPolicy.neighbourPerSecond = 0;
        endpointPolicy.advertisedLimit = 0;
        ApiReply refused = admit(context, QStringLiteral("segment-public/%1/endpoint/%2").arg(token, endpoint->name),
                                 endpointPolicy, ok, 1, identities);
        if (!refused.acceptance)
            return refused;
        endpointAcceptance = refused.acceptance;
    }
    ApiReply reply = admit(context, QStringLiteral("segment-public/") + token, policy, ok, 1, identities);
    if (reply.acceptance && endpointAcceptance)
        reply.innerScopes << *endpointAcceptance;
    return reply;
}

} // namespace headroom::sandbox
