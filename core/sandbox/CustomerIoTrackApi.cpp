#include "core/sandbox/CustomerIoTrackApi.h"

#include "core/sandbox/CustomerIoRules.h"
#include "core/sandbox/RequestAuth.h"
#include "core/sandbox/RowIdentity.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace headroom::sandbox {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sandbox", text);
}

HttpResponse okEmpty()
{
    return HttpResponse::json(200, QJsonObject());
}

} // namespace

HttpResponse CustomerIoTrackApi::error(int status, const QString &message)
{
    return HttpResponse::json(status, QJsonObject{
                                          {QStringLiteral("meta"), QJsonObject{{QStringLiteral("error"), message}}}});
}

HttpResponse CustomerIoTrackApi::tooManyRequests(const RateDecision &, const ApiPolicy &) const
{
    return error(429, tr("rate limit exceeded"));
}

ApiReply CustomerIoTrackApi::handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context)
{
    const ApiPolicy policy = context.config.policy(name());
    QString siteId = QStringLiteral("anonymous");
    if (policy.requireAuth) {
        const auto basic = RequestAuth::basic(request);
        if (!basic || !context.config.credentials.trackWorkspaces.contains(basic->user)
            || context.config.credentials.trackWorkspaces.value(basic->user) != basic->password) {
            return {error(401, tr("Unauthorized request")), std::nullopt};
        }
        siteId = basic->user;
    }
    const QString scope = workspaceScope(siteId);

    if (subPath == "/api/v2/batch") {
        if (request.method != "POST")
            return {error(405, tr("method not allowed")), std::nullopt};
        return handleBatch(request, scope, policy, context);
    }

    QJsonObject body;
    if (!parseObject(request.body, &body))
        return {error(400, tr("malformed JSON body")), std::nullopt};

    if (subPath == "/api/v1/events") { // anonymous event
        if (request.method != "POST")
            return {error(405, tr("method not allowed")), std::nullopt};
        QString why = CustomerIoRules::checkEventName(body.value(QStringLiteral("name")));
        if (why.isEmpty())
            why = CustomerIoRules::checkEventData(body.value(QStringLiteral("data")));
        if (!why.isEmpty())
            return {error(400, why), std::nullopt};
        const QString identity = RowIdentity::ofRequest(request, body);
        return admit(context, scope, policy, okEmpty(), 1, identity.isEmpty() ? QStringList() : QStringList{identity});
    }

    static const QByteArray customers = QByteArrayLiteral("/api/v1/customers/");
    if (!subPath.startsWith(customers))
        return {error(404, tr("not found")), std::nullopt};
    const QList<QByteArray> parts = subPath.mid(customers.size()).split('/');
    const QString customerId = QString::fromUtf8(QByteArray::fromPercentEncoding(parts.value(0)));
    const QByteArray action = parts.value(1);
    if (parts.size() > 2)
        return {error(404, tr("not found")), std::nullopt};
    if (const QString why = CustomerIoRules::checkCustomerId(customerId); !why.isEmpty())
        return {error(400, why), std::nullopt};

    if (parts.size() == 1) {
        if (request.method == "PUT") { // identify
            if (const QString why = CustomerIoRules::checkAttributes(body); !why.isEmpty())
                return {error(400, why), std::nullopt};
        } else if (request.method != "DELETE") {
            return {error(405, tr("method not allowed")), std::nullopt};
        }
    } else if (action == "events") {
        if (request.method != "POST")
            return {error(405, tr("method not allowed")), std::nullopt};
        QString why = CustomerIoRules::checkEventName(body.value(QStringLiteral("name")));
        if (why.isEmpty())
            why = CustomerIoRules::checkEventData(body.value(QStringLiteral("data")));
        if (!why.isEmpty())
            return {error(400, why), std::nullopt};
    } else if (action == "suppress" || action == "unsuppress") {
        if (request.method != "POST")
            return {error(405, tr("method not allowed")), std::nullopt};
    } else {
        return {error(404, tr("not found")), std::nullopt};
    }
    // An identify names no event: its identity is the customer, never a body "id" attribute.
    const QString identity = action == "events"
                                 ? RowIdentity::ofRequest(request, body, customerId)
                                 : (RowIdentity::ofHeader(request).isEmpty() ? QStringLiteral("customer:") + customerId
                                                                             : RowIdentity::ofHeader(request));
    return admit(context, scope, policy, okEmpty(), 1, {identity});
}

ApiReply CustomerIoTrackApi::handleBatch(const HttpRequest &request, const QString &scope,
                                         const ApiPolicy &policy, const ApiContext &context)
{
    if (request.body.size() > CustomerIoRules::kMaxBatchBytes)
        return {error(400, tr("batch larger than %1 bytes").arg(CustomerIoRules::kMaxBatchBytes)), std::nullopt};
    QJsonObject body;
    if (!parseObject(request.body, &body, false))
        return {error(400, tr("malformed JSON body")), std::nullopt};
    if (!body.value(QStringLiteral("batch")).isArray())
        return {error(400, tr("'batch' must be an array")), std::nullopt};
    const QJsonArray batch = body.value(QStringLiteral("batch")).toArray();
    if (batch.isEmpty())
        return {error(400, tr("'batch' is empty")), std::nullopt};

    QJsonArray errors;
    QStringList identities;
    int valid = 0;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        QString field, why;
        const QJsonObject item = batch.at(i).toObject();
        const QString type = item.value(QStringLiteral("type")).toString();
        const QString action = item.value(QStringLiteral("action")).toString();
        const QJsonObject attributes = item.value(QStringLiteral("attributes")).toObject();
        const QJsonObject identifiers = item.value(QStringLiteral("identifiers")).toObject();
        const bool isEvent = action == QLatin1String("event") || action == QLatin1String("screen")
                             || action == QLatin1String("page");
        if (!batch.at(i).isObject()) {
            field = QStringLiteral("batch");
            why = tr("item must be an object");
        } else if (type != QLatin1String("person") && type != QLatin1String("object") && type != QLatin1String("delivery")) {
            field = QStringLiteral("type");
            why = tr("type must be person, object or delivery");
        } else if (action.isEmpty()) {
            field = QStringLiteral("action");
            why = tr("action is required");
        } else if (type == QLatin1String("person") && !identifiers.contains(QStringLiteral("id"))
                   && !identifiers.contains(QStringLiteral("email")) && !identifiers.contains(QStringLiteral("cio_id"))) {
            field = QStringLiteral("identifiers");
            why = tr("identifiers must hold id, email or cio_id");
        } else if (identifiers.value(QStringLiteral("id")).isString()
                   && !(why = CustomerIoRules::checkCustomerId(identifiers.value(QStringLiteral("id")).toString())).isEmpty()) {
            // The id rule of the v1 path holds for a batch item's person too.
            field = QStringLiteral("identifiers");
        } else if (isEvent) {
            field = QStringLiteral("name");
            why = CustomerIoRules::checkEventName(item.value(QStringLiteral("name")));
            if (why.isEmpty()) {
                field = QStringLiteral("attributes");
                why = CustomerIoRules::checkEventData(item.value(QStringLiteral("attributes")));
            }
        } else {
            field = QStringLiteral("attributes");
            why = CustomerIoRules::checkAttributes(attributes);
        }
        if (!why.isEmpty()) {
            errors.append(QJsonObject{{QStringLiteral("batch_index"), int(i)},
                                      {QStringLiteral("reason"), QStringLiteral("invalid")},
                                      {QStringLiteral("field"), field},
                                      {QStringLiteral("message"), why}});
            continue;
        }
        ++valid;
        // An identify's identity is the person, not a stray "id" attribute.
        const QString identity = isEvent ? RowIdentity::ofItem(item) : RowIdentity::ofItem(QJsonObject{{QStringLiteral("identifiers"), identifiers}, {QStringLiteral("messageId"), item.value(QStringLiteral("messageId"))}});
        if (!identity.isEmpty())
            identities << identity;
    }
    if (valid == 0)
        return {HttpResponse::json(400, QJsonObject{{QStringLiteral("errors"), errors}}), std::nullopt};
    HttpResponse ok = errors.isEmpty() ? okEmpty()
                                       : HttpResponse::json(207, QJsonObject{{QStringLiteral("errors"), errors}});
    return admit(context, scope, policy, ok, valid, identities);
}

} // namespace headroom::sandbox
