#include "core/sandbox/CustomerIoAppApi.h"

#include "core/sandbox/CustomerIoTrackApi.h"
#include "core/sandbox/RequestAuth.h"
#include "core/sandbox/RowIdentity.h"

#include <QCoreApplication>

namespace headroom::sandbox {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sandbox", text);
}

} // namespace

HttpResponse CustomerIoAppApi::tooManyRequests(const RateDecision &, const ApiPolicy &policy) const
{
    // The App API names the refusing scope's limit in words, e.g.
    // `rate limited to 10 requests per 1s` (Customer.io's API documentation).
    const qint64 ms = policy.windowMs();
    const QString window = ms % 1000 == 0 ? QString::number(ms / 1000) + QLatin1Char('s') : QString::number(ms) + QStringLiteral("ms");
    return CustomerIoTrackApi::error(
        429, QStringLiteral("rate limited to %1 requests per %2").arg(policy.reportedLimit(policy.limit)).arg(window));
}

ApiReply CustomerIoAppApi::handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context)
{
    const ApiPolicy policy = context.config.policy(name());
    QString token = QStringLiteral("anonymous");
    if (policy.requireAuth) {
        token = RequestAuth::bearer(request);
        if (token.isEmpty() || !context.config.credentials.bearerTokens.contains(token))
            return {CustomerIoTrackApi::error(401, tr("Unauthorized request")), std::nullopt};
    }
    QJsonObject body;
    if (!parseObject(request.body, &body))
        return {CustomerIoTrackApi::error(400, tr("malformed JSON body")), std::nullopt};

    if (subPath == "/v1/send/email")
        return sendEmail(request, body, token, context);
    static const QByteArray campaigns = QByteArrayLiteral("/v1/campaigns/");
    if (subPath.startsWith(campaigns) && subPath.endsWith("/triggers")) {
        const QByteArray id = subPath.mid(campaigns.size(), subPath.size() - campaigns.size() - 9);
        bool ok = false;
        id.toLongLong(&ok);
        if (!ok)
            return {CustomerIoTrackApi::error(404, tr("not found")), std::nullopt};
        if (request.method != "POST")
            return {CustomerIoTrackApi::error(405, tr("method not allowed")), std::nullopt};
        const QString identity = RowIdentity::ofRequest(request, body);
        const QString scope = QStringLiteral("customerio-app/%1/campaign/%2").arg(token, QString::fromLatin1(id));
        return admit(context, scope, policy,
                     HttpResponse::json(200, QJsonObject{{QStringLiteral("id"), m_nextDeliveryId++}}), 1,
                     identity.isEmpty() ? QStringList() : QStringList{identity});
    }
    if (isGeneralEndpoint(request.method, subPath))
        return general(request, subPath, body, token, context);
    return {CustomerIoTrackApi::error(404, tr("not found")), std::nullopt};
}

ApiReply CustomerIoAppApi::sendEmail(const HttpRequest &request, const QJsonObject &body, const QString &token,
                                     const ApiContext &context)
{
    if (request.method != "POST")
        return {CustomerIoTrackApi::error(405, tr("method not allowed")), std::nullopt};
    if (!body.contains(QStringLiteral("transactional_message_id")) && !body.contains(QStringLiteral("body")))
        return {CustomerIoTrackApi::error(400, tr("transactional_message_id or body is required")), std::nullopt};
    if (!body.value(QStringLiteral("identifiers")).isObject() && !body.value(QStringLiteral("to")).isString())
        return {CustomerIoTrackApi::error(400, tr("identifiers or to is required")), std::nullopt};
    // Transactional sends share the Track limit of the token's workspace.
    const QString workspace = context.config.credentials.workspaceOfToken(token);
    const ApiPolicy trackPolicy = context.config.policy(QStringLiteral("customerio-track"));
    const QString identity = RowIdentity::ofRequest(request, body);
    const qint64 queuedAt = std::chrono::duration_cast<std::chrono::seconds>(context.wallNow.time_since_epoch()).count();
    HttpResponse ok = HttpResponse::json(200, QJsonObject{
                                                  {QStringLiteral("delivery_id"), QStringLiteral("sandbox-%1").arg(m_nextDeliveryId)},
                                                  {QStringLiteral("queued_at"), queuedAt}});
    ApiReply reply = admit(context, CustomerIoTrackApi::workspaceScope(workspace), trackPolicy, ok, 1,
                           identity.isEmpty() ? QStringList() : QStringList{identity});
    if (reply.acceptance)
        ++m_nextDeliveryId;
    return reply;
}

bool CustomerIoAppApi::isGeneralEndpoint(const QByteArray &method, const QByteArray &subPath)
{
    // A few of the App API's other endpoints, enough for a request file that
    // mixes them with sends and triggers.
    struct Endpoint
    {
        const char *method;
        const char *pattern; // "*" is one non-empty segment
    };
    static constexpr Endpoint kEndpoints[] = {
        {"GET", "/v1/campaigns"},
        {"GET", "/v1/campaigns/*"},
        {"GET", "/v1/segments"},
        {"GET", "/v1/segments/*"},
        {"GET", "/v1/newsletters"},
        {"GET", "/v1/customers/*/attributes"},
        {"GET", "/v1/customers/*/messages"},
        {"POST", "/v1/customers/attributes"},
    };
    QByteArray path = subPath;
    if (const qsizetype query = path.indexOf('?'); query >= 0)
        path.truncate(query);
    const QList<QByteArray> have = path.split('/');
    for (const Endpoint &endpoint : kEndpoints) {
        const QList<QByteArray> want = QByteArray(endpoint.pattern).split('/');
        if (method != endpoint.method || want.size() != have.size())
            continue;
        bool same = true;
        for (qsizetype i = 0; i < want.size() && same; ++i)
            same = want.at(i) == "*" ? !have.at(i).isEmpty() : want.at(i) == have.at(i);
        if (same)
            return true;
    }
    return false;
}

ApiReply CustomerIoAppApi::general(const HttpRequest &request, const QByteArray &subPath, const QJsonObject &body,
                                   const QString &token, const ApiContext &context) const
{
    // Every other endpoint shares the workspace's general App API limit.
    ApiPolicy policy = context.config.policy(name());
    policy.limit = policy.generalLimit;
    policy.window = std::chrono::milliseconds(policy.generalWindowMs);
    policy.limitSchedule.clear();
    policy.neighbourPerSecond = 0;
    policy.advertisedLimit = 0;
    const QString identity = RowIdentity::ofRequest(request, body);
    HttpResponse ok = HttpResponse::json(200, QJsonObject{{QStringLiteral("method"), QString::fromLatin1(request.method)},
                                                          {QStringLiteral("path"), QString::fromUtf8(subPath)}});
    return admit(context, QStringLiteral("customerio-app/") + token, policy, ok, 1,
                 identity.isEmpty() ? QStringList() : QStringList{identity});
}

} // namespace headroom::sandbox
