#include "core/imports/Mapping.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

struct OpName
{
    Operation op;
    const char *name;
};
constexpr OpName kOperations[] = {
    {Operation::Auto, "auto"},
    {Operation::Identify, "identify"},
    {Operation::Track, "track"},
    {Operation::AnonymousTrack, "anonymous_track"},
    {Operation::Suppress, "suppress"},
    {Operation::Delete, "delete"},
    {Operation::TransactionalEmail, "transactional_email"},
    {Operation::BroadcastTrigger, "broadcast_trigger"},
    {Operation::Request, "request"},
};

struct TypeName
{
    ColumnType type;
    const char *name;
};
constexpr TypeName kTypes[] = {
    {ColumnType::String, "string"},
    {ColumnType::Number, "number"},
    {ColumnType::Boolean, "boolean"},
    {ColumnType::Timestamp, "timestamp"},
    {ColumnType::Ignore, "ignore"},
};

// A constant id may be written as a number or a string; keep it as JSON text.
bool scalarText(const QJsonValue &v, QByteArray *out)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        *out = d == qint64(d) ? QByteArray::number(qint64(d)) : QByteArray::number(d, 'g', 17);
        return true;
    }
    if (v.isString()) {
        *out = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).mid(1);
        out->chop(1);
        return true;
    }
    return false;
}

} // namespace

QString Mapping::operationName(Operation op)
{
    for (const OpName &o : kOperations) {
        if (o.op == op)
            return QLatin1String(o.name);
    }
    return {};
}

std::optional<Operation> Mapping::operationFromName(const QString &name)
{
    for (const OpName &o : kOperations) {
        if (name == QLatin1String(o.name))
            return o.op;
    }
    return std::nullopt;
}

QString Mapping::typeName(ColumnType type)
{
    for (const TypeName &t : kTypes) {
        if (t.type == type)
            return QLatin1String(t.name);
    }
    return {};
}

std::optional<ColumnType> Mapping::typeFromName(const QString &name)
{
    for (const TypeName &t : kTypes) {
        if (name == QLatin1String(t.name))
            return t.type;
    }
    return std::nullopt;
}

bool Mapping::supports(Profile profile, Operation op)
{
    if (op == Operation::Auto)
        return true;
    switch (profile) {
    case Profile::CustomerIoTrack:
        return op == Operation::Identify || op == Operation::Track || op == Operation::AnonymousTrack
               || op == Operation::Suppress || op == Operation::Delete;
    case Profile::CustomerIoApp:
        // A request file mixes the App API's calls (each checked to be one).
        return op == Operation::TransactionalEmail || op == Operation::BroadcastTrigger || op == Operation::Request;
    case Profile::SegmentTracking:
        return op == Operation::Identify || op == Operation::Track;
    case Profile::CustomerIoPipelines:
        // A request file may also hold its group calls and whole batches.
        return op == Operation::Identify || op == Operation::Track || op == Operation::Request;
    case Profile::SegmentPublic:
    case Profile::Generic:
        return op == Operation::Request;
    }
    return false;
}

std::optional<Mapping> Mapping::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("mapping: invalid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = tr("mapping: expected a JSON object");
        return std::nullopt;
    }
    Mapping m;
    const QJsonObject o = doc.object();
    const auto stringField = [&](const QJsonValue &v, const QString &key, QByteArray *out) {
        if (!v.isString()) {
            *error = tr("mapping: '%1' must be a string").arg(key);
            return false;
        }
        *out = v.toString().toUtf8();
        return true;
    };
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        bool ok = true;
        if (key == QLatin1String("operation")) {
            const auto op = operationFromName(v.toString());
            if (!op) {
                *error = tr("mapping: unknown operation '%1'").arg(v.toString());
                return std::nullopt;
            }
            m.operation = *op;
        } else if (key == QLatin1String("id_column")) {
            ok = stringField(v, key, &m.idColumn);
        } else if (key == QLatin1String("event_column")) {
            ok = stringField(v, key, &m.eventColumn);
        } else if (key == QLatin1String("event_name")) {
            ok = stringField(v, key, &m.eventName);
        } else if (key == QLatin1String("event_id_column")) {
            ok = stringField(v, key, &m.eventIdColumn);
        } else if (key == QLatin1String("anonymous_id_column")) {
            ok = stringField(v, key, &m.anonymousIdColumn);
        } else if (key == QLatin1String("timestamp_column")) {
            ok = stringField(v, key, &m.timestampColumn);
        } else if (key == QLatin1String("email_column")) {
            ok = stringField(v, key, &m.emailColumn);
        } else if (key == QLatin1String("transactional_message_id")) {
            if (!scalarText(v, &m.transactionalMessageId)) {
                *error = tr("mapping: 'transactional_message_id' must be a number or a string");
                return std::nullopt;
            }
        } else if (key == QLatin1String("transactional_message_id_column")) {
            ok = stringField(v, key, &m.transactionalMessageIdColumn);
        } else if (key == QLatin1String("campaign_id")) {
            if (!scalarText(v, &m.campaignId)) {
                *error = tr("mapping: 'campaign_id' must be a number or a string");
                return std::nullopt;
            }
            if (m.campaignId.startsWith('"')) // used in a path: keep it bare
                m.campaignId = v.toString().toUtf8();
        } else if (key == QLatin1String("campaign_id_column")) {
            ok = stringField(v, key, &m.campaignIdColumn);
        } else if (key == QLatin1String("message_id_prefix")) {
            QByteArray prefix;
            ok = stringField(v, key, &prefix);
            m.messageIdPrefix = QString::fromUtf8(prefix);
        } else if (key == QLatin1String("only_listed_columns")) {
            if (!v.isBool()) {
                *error = tr("mapping: 'only_listed_columns' must be true or false");
                return std::nullopt;
            }
            m.onlyListedColumns = v.toBool();
        } else if (key == QLatin1String("columns")) {
            if (!v.isObject()) {
                *error = tr("mapping: 'columns' must be an object of column name to type");
                return std::nullopt;
            }
            const QJsonObject cols = v.toObject();
            for (auto c = cols.begin(); c != cols.end(); ++c) {
                ColumnSpec spec;
                QString typeName;
                if (c.value().isString()) {
                    typeName = c.value().toString();
                } else if (c.value().isObject()) {
                    const QJsonObject co = c.value().toObject();
                    for (auto k = co.begin(); k != co.end(); ++k) {
                        if (k.key() != QLatin1String("type") && k.key() != QLatin1String("as")) {
                            *error = tr("mapping: column '%1': unknown key '%2' (expected 'type' or 'as')")
                                         .arg(c.key(), k.key());
                            return std::nullopt;
                        }
                    }
                    typeName = co.value(QLatin1String("type")).toString(QStringLiteral("string"));
                    spec.rename = co.value(QLatin1String("as")).toString().toUtf8();
                } else {
                    *error = tr("mapping: column '%1': expected a type name or {\"type\", \"as\"}").arg(c.key());
                    return std::nullopt;
                }
                const auto type = typeFromName(typeName);
                if (!type) {
                    *error = tr("mapping: column '%1': unknown type '%2' (string, number, boolean, timestamp, ignore)")
                                 .arg(c.key(), typeName);
                    return std::nullopt;
                }
                spec.type = *type;
                m.columns.insert(c.key().toUtf8(), spec);
            }
        } else {
            *error = tr("mapping: unknown key '%1'").arg(key);
            return std::nullopt;
        }
        if (!ok)
            return std::nullopt;
    }
    return m;
}

std::optional<Mapping> Mapping::fromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("mapping: cannot open %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > 16 * 1024 * 1024) {
        *error = tr("mapping: %1 is larger than 16 MiB").arg(path);
        return std::nullopt;
    }
    return fromJson(file.readAll(), error);
}

QByteArray Mapping::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("operation"), operationName(operation));
    o.insert(QStringLiteral("id_column"), QString::fromUtf8(idColumn));
    o.insert(QStringLiteral("event_column"), QString::fromUtf8(eventColumn));
    if (!eventName.isEmpty())
        o.insert(QStringLiteral("event_name"), QString::fromUtf8(eventName));
    o.insert(QStringLiteral("event_id_column"), QString::fromUtf8(eventIdColumn));
    o.insert(QStringLiteral("anonymous_id_column"), QString::fromUtf8(anonymousIdColumn));
    if (!timestampColumn.isEmpty())
        o.insert(QStringLiteral("timestamp_column"), QString::fromUtf8(timestampColumn));
    o.insert(QStringLiteral("email_column"), QString::fromUtf8(emailColumn));
    if (!transactionalMessageId.isEmpty()) {
        const QJsonDocument d = QJsonDocument::fromJson("[" + transactionalMessageId + "]");
        o.insert(QStringLiteral("transactional_message_id"), d.array().at(0));
    }
    o.insert(QStringLiteral("transactional_message_id_column"), QString::fromUtf8(transactionalMessageIdColumn));
    if (!campaignId.isEmpty())
        o.insert(QStringLiteral("campaign_id"), QString::fromUtf8(campaignId));
    o.insert(QStringLiteral("campaign_id_column"), QString::fromUtf8(campaignIdColumn));
    if (!messageIdPrefix.isEmpty())
        o.insert(QStringLiteral("message_id_prefix"), messageIdPrefix);
    o.insert(QStringLiteral("only_listed_columns"), onlyListedColumns);
    QJsonObject cols;
    for (auto it = columns.begin(); it != columns.end(); ++it) {
        if (it->rename.isEmpty()) {
            cols.insert(QString::fromUtf8(it.key()), typeName(it->type));
        } else {
            cols.insert(QString::fromUtf8(it.key()),
                        QJsonObject{{QStringLiteral("type"), typeName(it->type)},
                                    {QStringLiteral("as"), QString::fromUtf8(it->rename)}});
        }
    }
    o.insert(QStringLiteral("columns"), cols);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace headroom::imports
