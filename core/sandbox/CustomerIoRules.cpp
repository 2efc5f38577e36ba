#include "core/sandbox/CustomerIoRules.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace headroom::sandbox {

qsizetype CustomerIoRules::valueBytes(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString().toUtf8().size();
    case QJsonValue::Object:
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).size();
    case QJsonValue::Array:
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).size();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 17).size();
    case QJsonValue::Bool:
        return value.toBool() ? 4 : 5;
    default:
        return 0;
    }
}

QString CustomerIoRules::checkAttributes(const QJsonObject &attributes)
{
    if (attributes.size() > kMaxAttributes) {
        return QCoreApplication::translate("sandbox", "too many attributes: %1 (at most %2)")
            .arg(attributes.size())
            .arg(kMaxAttributes);
    }
    for (auto it = attributes.begin(); it != attributes.end(); ++it) {
        if (it.key().toUtf8().size() > kMaxAttributeNameBytes) {
            return QCoreApplication::translate("sandbox", "attribute name longer than %1 bytes: %2")
                .arg(kMaxAttributeNameBytes)
                .arg(it.key().left(40));
        }
        if (valueBytes(it.value()) > kMaxAttributeValueBytes) {
            return QCoreApplication::translate("sandbox", "attribute '%1' value longer than %2 bytes")
                .arg(it.key())
                .arg(kMaxAttributeValueBytes);
        }
    }
    return {};
}

QString CustomerIoRules::checkEventName(const QJsonValue &name)
{
    if (!name.isString() || name.toString().isEmpty())
        return QCoreApplication::translate("sandbox", "event name is required");
    if (name.toString().toUtf8().size() > kMaxEventNameBytes)
        return QCoreApplication::translate("sandbox", "event name longer than %1 bytes").arg(kMaxEventNameBytes);
    return {};
}

QString CustomerIoRules::checkEventData(const QJsonValue &data)
{
    if (data.isUndefined() || data.isNull())
        return {};
    if (!data.isObject())
        return QCoreApplication::translate("sandbox", "event data must be an object");
    if (valueBytes(data) > kMaxEventDataBytes)
        return QCoreApplication::translate("sandbox", "event data larger than %1 bytes").arg(kMaxEventDataBytes);
    return {};
}

QString CustomerIoRules::checkCustomerId(const QString &id)
{
    if (id.isEmpty())
        return QCoreApplication::translate("sandbox", "customer id is required");
    if (id.toUtf8().size() > kMaxCustomerIdBytes)
        return QCoreApplication::translate("sandbox", "customer id longer than %1 bytes").arg(kMaxCustomerIdBytes);
    return {};
}

} // namespace headroom::sandbox
