#include "core/sandbox/RowIdentity.h"

#include <QJsonValue>

namespace headroom::sandbox {

namespace {

QString scalarText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 17);
    return {};
}

} // namespace

QString RowIdentity::ofHeader(const HttpRequest &request)
{
    const QByteArray row = request.header("x-headroom-row").trimmed();
    bool ok = false;
    const qint64 n = row.toLongLong(&ok);
    return ok ? QStringLiteral("row:") + QString::number(n) : QString();
}

QString RowIdentity::ofItem(const QJsonObject &item, const QString &customerId)
{
    QString text = scalarText(item.value(QStringLiteral("messageId")));
    if (!text.isEmpty())
        return QStringLiteral("messageId:") + text;
    text = scalarText(item.value(QStringLiteral("id")));
    if (!text.isEmpty())
        return QStringLiteral("id:") + text;
    if (!customerId.isEmpty())
        return QStringLiteral("customer:") + customerId;
    const QJsonObject identifiers = item.value(QStringLiteral("identifiers")).toObject();
    for (const char *key : {"id", "email", "cio_id"}) {
        text = scalarText(identifiers.value(QLatin1String(key)));
        if (!text.isEmpty())
            return QStringLiteral("customer:") + text;
    }
    text = scalarText(item.value(QStringLiteral("userId")));
    if (!text.isEmpty())
        return QStringLiteral("userId:") + text;
    for (const char *key : {"anonymousId", "anonymous_id"}) {
        text = scalarText(item.value(QLatin1String(key)));
        if (!text.isEmpty())
            return QStringLiteral("anonymousId:") + text;
    }
    return {};
}

QString RowIdentity::ofRequest(const HttpRequest &request, const QJsonObject &body, const QString &customerId)
{
    const QString header = ofHeader(request);
    return header.isEmpty() ? ofItem(body, customerId) : header;
}

} // namespace headroom::sandbox
