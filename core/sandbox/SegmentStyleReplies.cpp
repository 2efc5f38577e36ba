#include "core/sandbox/SegmentStyleReplies.h"

#include <QCoreApplication>
#include <QJsonValue>
#include <QList>

namespace headroom::sandbox {

HttpResponse SegmentStyleReplies::failure(int status, const QString &message)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("success"), false},
                                                  {QStringLiteral("message"), message}});
}

HttpResponse SegmentStyleReplies::success()
{
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("success"), true}});
}

HttpResponse SegmentStyleReplies::tooManyRequests()
{
    return failure(429, QCoreApplication::translate("sandbox", "Too Many Requests"));
}

bool SegmentStyleReplies::isCallPath(const QByteArray &subPath)
{
    static const QList<QByteArray> calls = {"/v1/identify", "/v1/track", "/v1/page",
                                            "/v1/screen", "/v1/group", "/v1/alias"};
    return calls.contains(subPath);
}

bool SegmentStyleReplies::hasUser(const QJsonObject &call)
{
    auto present = [&](const char *key) {
        const QJsonValue v = call.value(QLatin1String(key));
        return (v.isString() && !v.toString().isEmpty()) || v.isDouble();
    };
    return present("userId") || present("anonymousId");
}

} // namespace headroom::sandbox
