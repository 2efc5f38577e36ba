#include "core/sandbox/CustomerIoPipelinesApi.h"

#include "core/sandbox/RequestAuth.h"
#include "core/sandbox/RowIdentity.h"
#include "core/sandbox/SegmentStyleReplies.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace headroom::sandbox {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sandbox", text);
}

} // namespace

HttpResponse CustomerIoPipelinesApi::tooManyRequests(const RateDecision &, const ApiPolicy &) const
{
    return SegmentStyleReplies::tooManyRequests();
}

QString CustomerIoPipelinesApi::oversize(const QByteArray &body, bool isBatch)
{
    if (!isBatch)
        return body.size() > kMaxCallBytes ? tr("call larger than %1 bytes").arg(kMaxCallBytes) : QString();
    if (body.size() > kMaxBatchBytes)
        return tr("batch larger than %1 bytes").arg(kMaxBatchBytes);
    const QJsonArray batch = QJsonDocument::fromJson(body).object().value(QStringLiteral("batch")).toArray();
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (QJsonDocument(batch.at(i).toObject()).toJson(QJsonDocument::Compact).size() > kMaxCallBytes)
            return tr("batch[%1] larger than %2 bytes").arg(i).arg(kMaxCallBytes);
    }
    return {};
}

ApiReply CustomerIoPipelinesApi::handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context)
{
    const ApiPolicy policy = context.config.policy(name());
    QString key = QStringLiteral("anonymous");
    if (policy.requireAuth) {
        const auto basic = RequestAuth::basic(request);
        if (!basic || !context.config.credentials.writeKeys.contains(basic->user))
            return {SegmentStyleReplies::failure(401, tr("invalid API key")), std::nullopt};
        key = basic->user;
    }
    const bool isBatch = subPath == "/v1/batch";
    if (!isBatch && !SegmentStyleReplies::isCallPath(subPath))
        return {SegmentStyleReplies::failure(404, tr("not found")), std::nullopt};
    if (request.method != "POST")
        return {SegmentStyleReplies::failure(405, tr("method not allowed")), std::nullopt};
    const QString scope = QStringLiteral("customerio-pipelines/") + key;
    if (const QString why = oversize(request.body, isBatch); !why.isEmpty()) {
        // Counted against the limit like any request, answered 200, and never processed.
        ApiReply reply = admit(context, scope, policy, SegmentStyleReplies::success(), 0, {});
        if (reply.acceptance) {
            reply.innerScopes << *reply.acceptance;
            reply.acceptance.reset();
            reply.silentlyDropped = true;
        }
        return reply;
    }
    QJsonObject body;
    if (!parseObject(request.body, &body, false))
        return {SegmentStyleReplies::failure(400, tr("malformed JSON body")), std::nullopt};

    QStringList identities;
    int items = 1;
    if (isBatch) {
        const QJsonArray batch = body.value(QStringLiteral("batch")).toArray();
        if (!body.value(QStringLiteral("batch")).isArray() || batch.isEmpty())
            return {SegmentStyleReplies::failure(400, tr("'batch' must be a non-empty array")), std::nullopt};
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const QJsonObject event = batch.at(i).toObject();
            if (!batch.at(i).isObject() || !SegmentStyleReplies::hasUser(event))
                return {SegmentStyleReplies::failure(400, tr("batch[%1] needs userId or anonymousId").arg(i)), std::nullopt};
            if (const QString identity = RowIdentity::ofItem(event); !identity.isEmpty())
                identities << identity;
        }
        items = int(batch.size());
    } else {
        if (!SegmentStyleReplies::hasUser(body))
            return {SegmentStyleReplies::failure(400, tr("userId or anonymousId is required")), std::nullopt};
        if (subPath == "/v1/track" && body.value(QStringLiteral("event")).toString().isEmpty())
            return {SegmentStyleReplies::failure(400, tr("event is required")), std::nullopt};
        if (subPath == "/v1/group" && body.value(QStringLiteral("groupId")).toString().isEmpty())
            return {SegmentStyleReplies::failure(400, tr("groupId is required")), std::nullopt};
        if (const QString identity = RowIdentity::ofRequest(request, body); !identity.isEmpty())
            identities << identity;
    }
    return admit(context, scope, policy, SegmentStyleReplies::success(), items, identities);
}

} // namespace headroom::sandbox
