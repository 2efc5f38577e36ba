#include "core/sandbox/FaultPlan.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace headroom::sandbox {

namespace {

bool readProbability(const QJsonObject &json, const char *key, double *out, QString *error)
{
    const QString k = QString::fromLatin1(key);
    if (!json.contains(k))
        return true;
    const double v = json.value(k).toDouble(-1);
    if (!json.value(k).isDouble() || v < 0.0 || v > 1.0) {
        if (error)
            *error = QCoreApplication::translate("sandbox", "'%1' must be a probability between 0 and 1").arg(k);
        return false;
    }
    *out = v;
    return true;
}

bool readInt(const QJsonObject &json, const char *key, int min, int *out, QString *error)
{
    const QString k = QString::fromLatin1(key);
    if (!json.contains(k))
        return true;
    const double v = json.value(k).toDouble(min - 1.0);
    if (!json.value(k).isDouble() || v < min || v > 86400e3) {
        if (error)
            *error = QCoreApplication::translate("sandbox", "'%1' must be an integer >= %2").arg(k).arg(min);
        return false;
    }
    *out = int(v);
    return true;
}

} // namespace

QString FaultPlan::outageModeName(OutageMode mode)
{
    return mode == OutageMode::Refuse ? QStringLiteral("refuse") : QStringLiteral("fail");
}

bool FaultPlan::parseOutageMode(const QString &text, OutageMode *mode)
{
    if (text == QLatin1String("refuse")) {
        *mode = OutageMode::Refuse;
        return true;
    }
    if (text == QLatin1String("fail")) {
        *mode = OutageMode::Fail;
        return true;
    }
    return false;
}

QJsonObject FaultPlan::toJson() const
{
    return QJsonObject{
        {QStringLiteral("error500"), error500},
        {QStringLiteral("error502"), error502},
        {QStringLiteral("error503"), error503},
        {QStringLiteral("drop"), drop},
        {QStringLiteral("lostAnswer"), lostAnswer},
        {QStringLiteral("latencyMs"), latencyMs},
        {QStringLiteral("jitterMs"), jitterMs},
        {QStringLiteral("stall"), stall},
        {QStringLiteral("stallMs"), stallMs},
        {QStringLiteral("apis"), QJsonArray::fromStringList(apis)},
        {QStringLiteral("seed"), qint64(seed)},
        {QStringLiteral("outage"), QJsonObject{
                                       {QStringLiteral("mode"), outageModeName(outageMode)},
                                       {QStringLiteral("afterSeconds"), outageAfterSeconds},
                                       {QStringLiteral("seconds"), outageSeconds}}},
    };
}

bool FaultPlan::merge(const QJsonObject &json, QString *error)
{
    static const QStringList known = {
        QStringLiteral("error500"), QStringLiteral("error502"), QStringLiteral("error503"),
        QStringLiteral("drop"), QStringLiteral("lostAnswer"), QStringLiteral("latencyMs"), QStringLiteral("jitterMs"),
        QStringLiteral("stall"), QStringLiteral("stallMs"), QStringLiteral("apis"),
        QStringLiteral("seed"), QStringLiteral("outage")};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key())) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "unknown fault key '%1'").arg(it.key());
            return false;
        }
    }
    FaultPlan next = *this;
    if (!readProbability(json, "error500", &next.error500, error)
        || !readProbability(json, "error502", &next.error502, error)
        || !readProbability(json, "error503", &next.error503, error)
        || !readProbability(json, "drop", &next.drop, error)
        || !readProbability(json, "lostAnswer", &next.lostAnswer, error)
        || !readProbability(json, "stall", &next.stall, error)
        || !readInt(json, "latencyMs", 0, &next.latencyMs, error)
        || !readInt(json, "jitterMs", 0, &next.jitterMs, error)
        || !readInt(json, "stallMs", 0, &next.stallMs, error)) {
        return false;
    }
    if (json.contains(QStringLiteral("apis"))) {
        if (!json.value(QStringLiteral("apis")).isArray()) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "'apis' must be an array of API names");
            return false;
        }
        next.apis.clear();
        const QJsonArray list = json.value(QStringLiteral("apis")).toArray();
        for (const QJsonValue &v : list)
            next.apis << v.toString();
    }
    if (json.contains(QStringLiteral("seed"))) {
        const double v = json.value(QStringLiteral("seed")).toDouble(-1);
        if (v < 0 || v > 4294967295.0) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "'seed' must be an unsigned 32-bit integer");
            return false;
        }
        next.seed = quint32(v);
    }
    if (json.contains(QStringLiteral("outage"))) {
        const QJsonObject outage = json.value(QStringLiteral("outage")).toObject();
        if (outage.contains(QStringLiteral("mode"))
            && !parseOutageMode(outage.value(QStringLiteral("mode")).toString(), &next.outageMode)) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "'outage.mode' must be 'fail' or 'refuse'");
            return false;
        }
        if (!readInt(outage, "afterSeconds", -1, &next.outageAfterSeconds, error)
            || !readInt(outage, "seconds", 0, &next.outageSeconds, error)) {
            return false;
        }
    }
    *this = next;
    return true;
}

} // namespace headroom::sandbox
