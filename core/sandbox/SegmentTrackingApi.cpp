#include "core/sandbox/SegmentTrackingApi.h"

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

HttpResponse SegmentTrackingApi::tooManyRequests(const RateDecision &, const ApiPolicy &) const
{
    return SegmentStyleReplies::tooManyRequests();
}

ApiReply SegmentTrackingApi::handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context)
{
    const ApiPolicy policy = context.config.policy(name());
    QString writeKey = QStringLiteral("anonymous");
    if (policy.requireAuth) {
        const auto basic = RequestAuth::basic(request);
        if (!basic || !context.config.credentials.writeKeys.contains(basic->user))
            return {SegmentStyleReplies::failure(401, tr("invalid write key")), std::nullopt};
        writeKey = basic->user;
    }
    const bool isBatch = subPath == "/v1/batch" || subPath == "/v1/import";
    if (!isBatch && !SegmentStyleReplies::isCallPath(subPath))
        return {SegmentStyleReplies::failure(404, tr("not found")), std::nullopt};
    if (request.method != "POST")
        return {SegmentStyleReplies::failure(405, tr("method not allowed")), std::nullopt};

    const qsizetype maxBytes = isBatch ? kMaxBatchBytes : kMaxCallBytes;
    if (request.body.size() > maxBytes)
        return {SegmentStyleReplies::failure(400, tr("request larger than %1 bytes").arg(maxBytes)), std::nullopt};
    QJsonObject body;
    if (!parseObject(request.body, &body, false))
        return {SegmentStyleReplies::failure(400, tr("malformed JSON body")), std::nullopt};

    QStringList identities;
    int items = 1;
    if (isBatch) {
        if (!body.value(QStringLiteral("batch")).isArray())
            return {SegmentStyleReplies::failure(400, tr("'batch' must be an array")), std::nullopt};
        const QJsonArray batch = body.value(QStringLiteral("batch")).toArray();
        if (batch.isEmpty())
            return {SegmentStyleReplies::failure(400, tr("'batch' is empty")), std::nullopt};
        if (batch.size() > kMaxBatchEvents)
            return {SegmentStyleReplies::failure(400, tr("batch holds %1 events (at most %2)").arg(batch.size()).arg(kMaxBatchEvents)), std::nullopt};
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const QJsonObject event = batch.at(i).toObject();
            if (!batch.at(i).isObject())
                return {SegmentStyleReplies::failure(400, tr("batch[%1] is not an object").arg(i)), std::nullopt};
            if (QJsonDocument(event).toJson(QJsonDocument::Compact).size() > kMaxCallBytes)
                return {SegmentStyleReplies::failure(400, tr("batch[%1] larger than %2 bytes").arg(i).arg(kMaxCallBytes)), std::nullopt};
            if (!SegmentStyleReplies::hasUser(event))
                return {SegmentStyleReplies::failure(400, tr("batch[%1] needs userId or anonymousId").arg(i)), std::nullopt};
            const QString identity = RowIdentity::ofItem(event);
            if (!identity.isEmpty())
                identities << identity;
        }
        items = int(batch.size());
    } else {
        if (!SegmentStyleReplies::hasUser(body))
            return {SegmentStyleReplies::failure(400, tr("userId or anonymousId is required")), std::nullopt};
        if (subPath == "/v1/track" && body.value(QStringLiteral("event")).toString().isEmpty())
            return {SegmentStyleReplies::failure(400, tr("event is required")), std::nullopt};
        const QString identity = RowIdentity::ofRequest(request, body);
        if (!identity.isEmpty())
            identities << identity;
    }
    return admit(context, QStringLiteral("segment-tracking/") + writeKey, policy,
                 SegmentStyleReplies::success(), items, identities);
}

} // namespace headroom::sandbox
