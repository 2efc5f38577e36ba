#include "core/sandbox/SandboxCredentials.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace headroom::sandbox {

namespace {

QJsonObject mapToJson(const QHash<QString, QString> &map)
{
    QJsonObject o;
    for (auto it = map.begin(); it != map.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

bool readMap(const QJsonObject &json, const char *key, QHash<QString, QString> *out, QString *error)
{
    const QString k = QString::fromLatin1(key);
    if (!json.contains(k))
        return true;
    if (!json.value(k).isObject()) {
        if (error)
            *error = QCoreApplication::translate("sandbox", "'auth.%1' must be an object of strings").arg(k);
        return false;
    }
    QHash<QString, QString> map;
    const QJsonObject o = json.value(k).toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.value().isString()) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "'auth.%1' must be an object of strings").arg(k);
            return false;
        }
        map.insert(it.key(), it.value().toString());
    }
    *out = map;
    return true;
}

bool readList(const QJsonObject &json, const char *key, QStringList *out, QString *error)
{
    const QString k = QString::fromLatin1(key);
    if (!json.contains(k))
        return true;
    if (!json.value(k).isArray()) {
        if (error)
            *error = QCoreApplication::translate("sandbox", "'auth.%1' must be an array of strings").arg(k);
        return false;
    }
    QStringList list;
    const QJsonArray a = json.value(k).toArray();
    for (const QJsonValue &v : a)
        list << v.toString();
    *out = list;
    return true;
}

} // namespace

QJsonObject SandboxCredentials::toJson() const
{
    return QJsonObject{
        {QStringLiteral("trackWorkspaces"), mapToJson(trackWorkspaces)},
        {QStringLiteral("bearerTokens"), QJsonArray::fromStringList(bearerTokens)},
        {QStringLiteral("tokenWorkspaces"), mapToJson(tokenWorkspaces)},
        {QStringLiteral("writeKeys"), QJsonArray::fromStringList(writeKeys)},
    };
}

bool SandboxCredentials::merge(const QJsonObject &json, QString *error)
{
    static const QStringList known = {QStringLiteral("trackWorkspaces"), QStringLiteral("bearerTokens"),
                                      QStringLiteral("tokenWorkspaces"), QStringLiteral("writeKeys")};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key())) {
            if (error)
                *error = QCoreApplication::translate("sandbox", "unknown auth key '%1'").arg(it.key());
            return false;
        }
    }
    SandboxCredentials next = *this;
    if (!readMap(json, "trackWorkspaces", &next.trackWorkspaces, error)
        || !readList(json, "bearerTokens", &next.bearerTokens, error)
        || !readMap(json, "tokenWorkspaces", &next.tokenWorkspaces, error)
        || !readList(json, "writeKeys", &next.writeKeys, error)) {
        return false;
    }
    *this = next;
    return true;
}

} // namespace headroom::sandbox
