#include "core/sandbox/GenericApi.h"

#include "core/sandbox/RequestAuth.h"
#include "core/sandbox/RowIdentity.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace headroom::sandbox {

HttpResponse GenericApi::tooManyRequests(const RateDecision &, const ApiPolicy &) const
{
    return HttpResponse::json(429, QJsonObject{
                                       {QStringLiteral("error"), QCoreApplication::translate("sandbox", "rate limit exceeded")}});
}

ApiReply GenericApi::handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context)
{
    const ApiPolicy policy = context.config.policy(name());
    QString token = QStringLiteral("anonymous");
    if (policy.requireAuth) {
        token = RequestAuth::bearer(request);
        if (token.isEmpty() || !context.config.credentials.bearerTokens.contains(token)) {
            return {HttpResponse::json(401, QJsonObject{
                                                {QStringLiteral("error"), QCoreApplication::translate("sandbox", "unauthorized")}}),
                    std::nullopt};
        }
    }
    // /status/NNN answers NNN (4xx/5xx), like a validation error: before the
    // limit, so a test can dead-letter one row on purpose.
    if (subPath.startsWith("/status/")) {
        bool ok = false;
        const int status = subPath.mid(8).toInt(&ok);
        if (ok && status >= 400 && status <= 599) {
            return {HttpResponse::json(status, QJsonObject{
                                                   {QStringLiteral("error"), QCoreApplication::translate("sandbox", "status %1 requested").arg(status)}}),
                    std::nullopt};
        }
    }
    QJsonValue echoed;
    QJsonObject bodyObject;
    if (!request.body.isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
        if (error.error == QJsonParseError::NoError) {
            echoed = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
            bodyObject = doc.object();
        } else if (request.header("content-type").contains("json")) {
            return {HttpResponse::json(400, QJsonObject{
                                                {QStringLiteral("error"), QCoreApplication::translate("sandbox", "malformed JSON body")}}),
                    std::nullopt};
        } else {
            echoed = QString::fromUtf8(request.body);
        }
    }
    const QString identity = RowIdentity::ofRequest(request, bodyObject);
    HttpResponse ok = HttpResponse::json(200, QJsonObject{
                                                  {QStringLiteral("ok"), true},
                                                  {QStringLiteral("method"), QString::fromLatin1(request.method)},
                                                  {QStringLiteral("path"), QString::fromUtf8(subPath)},
                                                  {QStringLiteral("query"), QString::fromUtf8(request.query)},
                                                  {QStringLiteral("body"), echoed}});
    return admit(context, QStringLiteral("generic/") + token, policy, ok, 1,
                 identity.isEmpty() ? QStringList() : QStringList{identity});
}

} // namespace headroom::sandbox
