#include "core/imports/PayloadSize.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

// The first call of a batch body over `maxCall` bytes as compact JSON, as "batch[i] is N bytes".
QString oversizeItem(const QByteArray &body, qsizetype maxCall, const QString &profile)
{
    const QJsonArray batch = QJsonDocument::fromJson(body).object().value(QStringLiteral("batch")).toArray();
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const qsizetype size = QJsonDocument(batch.at(i).toObject()).toJson(QJsonDocument::Compact).size();
        if (size > maxCall) {
            return tr("payload rule: batch[%1] is %2 bytes; %3 allows %4 per call")
                .arg(i)
                .arg(size)
                .arg(profile)
                .arg(maxCall);
        }
    }
    return {};
}

} // namespace

QString PayloadSize::refusal(const ApiCall &call, const PayloadRules &rules, const QString &profile)
{
    if (rules.maxCallBytes <= 0)
        return {};
    const bool isBatch = call.operation == QLatin1String("request") && !rules.batchPath.isEmpty()
                         && call.path == rules.batchPath;
    if (!isBatch) {
        if (call.body.size() <= rules.maxCallBytes)
            return {};
        return tr("payload rule: the event is %1 bytes; %2 allows %3 per event")
            .arg(call.body.size())
            .arg(profile)
            .arg(rules.maxCallBytes);
    }
    if (rules.maxBatchBytes > 0 && call.body.size() > rules.maxBatchBytes) {
        return tr("payload rule: the batch is %1 bytes; %2 allows %3 per batch")
            .arg(call.body.size())
            .arg(profile)
            .arg(rules.maxBatchBytes);
    }
    return oversizeItem(call.body, rules.maxCallBytes, profile);
}

} // namespace headroom::imports
