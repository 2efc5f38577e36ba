#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace headroom::sandbox {

// Customer.io's payload rules. Each check returns an empty string when the
// value passes, else the message the API would give.
class CustomerIoRules
{
public:
    static constexpr int kMaxAttributes = 300;
    static constexpr int kMaxAttributeNameBytes = 150;
    static constexpr int kMaxAttributeValueBytes = 1000;
    static constexpr int kMaxEventNameBytes = 100;
    static constexpr int kMaxEventDataBytes = 100000;
    static constexpr int kMaxCustomerIdBytes = 150;
    static constexpr int kMaxBatchBytes = 500 * 1024;

    static QString checkAttributes(const QJsonObject &attributes);
    static QString checkEventName(const QJsonValue &name);
    static QString checkEventData(const QJsonValue &data);
    static QString checkCustomerId(const QString &id);

    // Bytes a value takes: UTF-8 of a string, compact JSON otherwise.
    static qsizetype valueBytes(const QJsonValue &value);
};

} // namespace headroom::sandbox
