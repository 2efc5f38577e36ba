#include "core/imports/RowMapper.h"

#include "core/imports/MappedRowLimits.h"
#include "core/imports/RequestPath.h"
#include "core/imports/TypedValue.h"

#include "core/imports/JsonText.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

bool isEventOp(Operation op)
{
    return op == Operation::Track || op == Operation::AnonymousTrack;
}

// Whether the row's id becomes a segment of the call's path (CallBuilder).
bool idInPath(Profile profile, Operation op)
{
    switch (op) {
    case Operation::Identify:
    case Operation::Track:
        return !ImportProfile::isSegmentCompatible(profile);
    case Operation::Suppress:
    case Operation::Delete:
        return true;
    default:
        return false;
    }
}

// A JSON value used as an id or a name: strings bare, anything else as JSON text.
QByteArray scalarBytes(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().toUtf8();
    if (v.isNull() || v.isUndefined())
        return {};
    QByteArray out;
    JsonText::appendValue(out, v);
    return out;
}

} // namespace

RowMapper::RowMapper(Profile profile, const Mapping &mapping)
    : m_profile(profile)
    , m_mapping(mapping)
    , m_rules(PayloadRules::forProfile(profile))
{
    if (ImportProfile::usesRequestFiles(profile))
        m_mapping.operation = Operation::Request;
}

Operation RowMapper::resolve(bool hasEvent) const
{
    if (m_mapping.operation != Operation::Auto)
        return m_mapping.operation;
    switch (m_profile) {
    case Profile::CustomerIoApp:
        return Operation::TransactionalEmail;
    case Profile::SegmentPublic:
    case Profile::Generic:
        return Operation::Request;
    case Profile::CustomerIoTrack:
    case Profile::SegmentTracking:
    case Profile::CustomerIoPipelines:
        break;
    }
    return hasEvent || !m_mapping.eventName.isEmpty() ? Operation::Track : Operation::Identify;
}

bool RowMapper::isSpecial(QByteArrayView name, Operation op) const
{
    const Mapping &m = m_mapping;
    if (name == m.idColumn)
        return true;
    if (isEventOp(op) && (name == m.eventColumn || name == m.eventIdColumn))
        return true;
    if ((op == Operation::AnonymousTrack || ImportProfile::isSegmentCompatible(m_profile)) && name == m.anonymousIdColumn)
        return true;
    if (!m.timestampColumn.isEmpty() && name == m.timestampColumn)
        return true;
    if ((op == Operation::TransactionalEmail || op == Operation::BroadcastTrigger) && name == m.emailColumn)
        return true;
    if (op == Operation::TransactionalEmail && name == m.transactionalMessageIdColumn)
        return true;
    if (op == Operation::BroadcastTrigger && name == m.campaignIdColumn)
        return true;
    return false;
}

void RowMapper::checkRequired(Operation op, bool hasId, bool hasEvent, bool hasAnon, bool hasEmail,
                              QStringList *problems) const
{
    const Mapping &m = m_mapping;
    const auto missing = [&](const QByteArray &column) {
        *problems << tr("missing '%1' column: the %2 operation needs it")
                         .arg(QString::fromUtf8(column), Mapping::operationName(op));
    };
    if (!Mapping::supports(m_profile, op)) {
        *problems << tr("operation '%1' does not exist on profile %2")
                         .arg(Mapping::operationName(op), ImportProfile::name(m_profile));
        return;
    }
    switch (op) {
    case Operation::Identify:
    case Operation::Track:
        if (ImportProfile::isSegmentCompatible(m_profile) ? !hasId && !hasAnon : !hasId)
            missing(m.idColumn);
        if (op == Operation::Track && !hasEvent && m.eventName.isEmpty())
            missing(m.eventColumn);
        return;
    case Operation::Suppress:
    case Operation::Delete:
        if (!hasId)
            missing(m.idColumn);
        return;
    case Operation::AnonymousTrack:
        if (!hasEvent && m.eventName.isEmpty())
            missing(m.eventColumn);
        return;
    case Operation::TransactionalEmail:
        if (!hasEmail)
            missing(m.emailColumn);
        return;
    case Operation::BroadcastTrigger:
        if (!hasId && !hasEmail)
            missing(m.idColumn);
        return;
    case Operation::Request:
    case Operation::Auto:
        return;
    }
}

bool RowMapper::bindColumns(const QList<QByteArray> &columns, QString *error)
{
    if (ImportProfile::usesRequestFiles(m_profile)) {
        *error = tr("profile %1 imports request files: JSON Lines (or a JSON array) of "
                    "{\"method\", \"path\", \"body\"}, not CSV")
                     .arg(ImportProfile::name(m_profile));
        return false;
    }
    const auto indexOf = [&](const QByteArray &name) -> int {
        return name.isEmpty() ? -1 : int(columns.indexOf(name));
    };
    const Mapping &m = m_mapping;
    m_id = indexOf(m.idColumn);
    m_event = indexOf(m.eventColumn);
    m_operation = resolve(m_event >= 0);
    const bool events = isEventOp(m_operation);
    m_eventId = events ? indexOf(m.eventIdColumn) : -1;
    m_anon = indexOf(m.anonymousIdColumn);
    m_timestamp = indexOf(m.timestampColumn);
    m_email = indexOf(m.emailColumn);
    m_transactionalId = indexOf(m.transactionalMessageIdColumn);
    m_campaign = indexOf(m.campaignIdColumn);
    // Everything the file lacks, said at once.
    QStringList problems;
    if (!m.timestampColumn.isEmpty() && m_timestamp < 0)
        problems << tr("missing '%1' column named as timestamp_column in the mapping")
                        .arg(QString::fromUtf8(m.timestampColumn));
    checkRequired(m_operation, m_id >= 0, m_event >= 0, m_anon >= 0, m_email >= 0, &problems);
    if (m_operation == Operation::TransactionalEmail && m_transactionalId < 0 && m.transactionalMessageId.isEmpty())
        problems << tr("missing '%1' column (or transactional_message_id in the mapping)")
                        .arg(QString::fromUtf8(m.transactionalMessageIdColumn));
    if (m_operation == Operation::BroadcastTrigger && m_campaign < 0 && m.campaignId.isEmpty())
        problems << tr("missing '%1' column (or campaign_id in the mapping)").arg(QString::fromUtf8(m.campaignIdColumn));
    for (auto it = m.columns.begin(); it != m.columns.end(); ++it) {
        if (!columns.contains(it.key()))
            problems << tr("the mapping names a column '%1' that the file does not have").arg(QString::fromUtf8(it.key()));
    }
    if (!problems.isEmpty()) {
        *error = problems.join(QStringLiteral("; "));
        return false;
    }
    m_attributes.clear();
    for (int i = 0; i < columns.size(); ++i) {
        const QByteArray &name = columns.at(i);
        if (isSpecial(name, m_operation))
            continue;
        const auto spec = m.columns.constFind(name);
        if (spec == m.columns.cend() && m.onlyListedColumns)
            continue;
        Column c;
        c.index = i;
        c.name = name;
        c.type = spec == m.columns.cend() ? ColumnType::String : spec->type;
        if (c.type == ColumnType::Ignore)
            continue;
        const QByteArray outName = spec != m.columns.cend() && !spec->rename.isEmpty() ? spec->rename : name;
        c.nameBytes = outName.size();
        if (m_operation == Operation::Identify && m_rules.maxAttributeNameBytes > 0
            && c.nameBytes > m_rules.maxAttributeNameBytes) {
            // Every row would break the rule: say so once, about the header.
            *error = tr("payload rule: attribute name %1 is %2 bytes; Customer.io allows %3")
                         .arg(TypedValue::quoted(outName))
                         .arg(c.nameBytes)
                         .arg(m_rules.maxAttributeNameBytes);
            return false;
        }
        JsonText::appendString(c.outName, outName);
        c.outName.append(':');
        m_attributes.append(c);
    }
    return true;
}

bool RowMapper::appendTyped(QByteArrayView text, ColumnType type, const QByteArray &name, Failure *failure)
{
    failure->message = TypedValue::append(text, type, name, isoTimestamps(), m_value);
    return failure->message.isEmpty();
}

bool RowMapper::isoTimestamps() const
{
    // Segment-compatible APIs take ISO 8601 dates; Customer.io epoch seconds.
    return ImportProfile::isSegmentCompatible(m_profile);
}

bool RowMapper::addField(const QByteArray &jsonName, qsizetype nameBytes, const QByteArray &name,
                         qsizetype valueBytes, MappedRow &out, Failure *failure)
{
    if (out.operation == Operation::Identify && m_rules.maxAttributes > 0) {
        if (nameBytes > m_rules.maxAttributeNameBytes) {
            failure->message = tr("payload rule: attribute name %1 is %2 bytes; Customer.io allows %3")
                                   .arg(TypedValue::quoted(name))
                                   .arg(nameBytes)
                                   .arg(m_rules.maxAttributeNameBytes);
            failure->payloadRule = true;
            return false;
        }
        if (valueBytes > m_rules.maxAttributeValueBytes) {
            failure->message = tr("payload rule: value of attribute %1 is %2 bytes; Customer.io allows %3")
                                   .arg(TypedValue::quoted(name))
                                   .arg(valueBytes)
                                   .arg(m_rules.maxAttributeValueBytes);
            failure->payloadRule = true;
            return false;
        }
    }
    if (out.fieldCount > 0)
        out.fields.append(',');
    out.fields.append(jsonName);
    out.fields.append(m_value);
    ++out.fieldCount;
    return true;
}

bool RowMapper::checkPathValues(const MappedRow &out, Failure *failure) const
{
    // A value that is a path segment must not be one the URL resolves away:
    // "/customers/.." is "/" of the API, and DELETE there is not a row's delete.
    const auto refuse = [&](const QByteArray &column, const QByteArray &value) {
        failure->message = tr("value '%1' in column '%2' would change the request's path "
                              "(an id in a path may not be empty, '.' or '..')")
                               .arg(QString::fromUtf8(value), QString::fromUtf8(column));
        return false;
    };
    // Ids are percent-encoded, "%2e" included: only a bare "." or ".." stays a dot segment.
    const auto shapesPath = [](const QByteArray &v) { return v.isEmpty() || v == "." || v == ".."; };
    if (idInPath(m_profile, out.operation) && shapesPath(out.id))
        return refuse(m_mapping.idColumn, out.id);
    if (out.operation == Operation::BroadcastTrigger && shapesPath(out.campaignId))
        return refuse(m_mapping.campaignIdColumn, out.campaignId);
    return true;
}

bool RowMapper::finish(MappedRow &out, Failure *failure)
{
    out.fields.append('}');
    const Mapping &m = m_mapping;
    const auto empty = [&](const QByteArray &column) {
        failure->message = tr("empty value in required column '%1'").arg(QString::fromUtf8(column));
        return false;
    };
    switch (out.operation) {
    case Operation::Identify:
    case Operation::Track:
        if (ImportProfile::isSegmentCompatible(m_profile)) {
            if (out.id.isEmpty() && out.anonymousId.isEmpty())
                return empty(m.idColumn);
        } else if (out.id.isEmpty()) {
            return empty(m.idColumn);
        }
        if (out.operation == Operation::Track && out.eventName.isEmpty())
            return empty(m.eventColumn);
        break;
    case Operation::Suppress:
    case Operation::Delete:
        if (out.id.isEmpty())
            return empty(m.idColumn);
        break;
    case Operation::AnonymousTrack:
        if (out.eventName.isEmpty())
            return empty(m.eventColumn);
        break;
    case Operation::TransactionalEmail:
        if (out.email.isEmpty())
            return empty(m.emailColumn);
        if (out.transactionalMessageId.isEmpty())
            return empty(m.transactionalMessageIdColumn);
        break;
    case Operation::BroadcastTrigger:
        if (out.id.isEmpty() && out.email.isEmpty())
            return empty(m.idColumn);
        if (out.campaignId.isEmpty())
            return empty(m.campaignIdColumn);
        break;
    case Operation::Request:
    case Operation::Auto:
        break;
    }
    if (!checkPathValues(out, failure))
        return false;
    failure->message = MappedRowLimits::refusal(out, m_rules);
    if (!failure->message.isEmpty()) {
        failure->payloadRule = true;
        return false;
    }
    return true;
}

bool RowMapper::mapCsv(const Record &record, MappedRow &out, Failure *failure)
{
    out.operation = m_operation;
    const auto take = [&](int index, QByteArray &into) {
        if (index >= 0 && index < record.fieldCount())
            into.append(record.field(index));
    };
    take(m_id, out.id);
    if (isEventOp(m_operation)) {
        take(m_event, out.eventName);
        if (m_event < 0)
            out.eventName = m_mapping.eventName;
        take(m_eventId, out.eventId);
    }
    take(m_anon, out.anonymousId);
    take(m_email, out.email);
    take(m_campaign, out.campaignId);
    if (m_campaign < 0)
        out.campaignId = m_mapping.campaignId;
    if (m_transactionalId >= 0 && m_operation == Operation::TransactionalEmail) {
        const QByteArrayView t = TypedValue::trimmed(record.field(m_transactionalId));
        if (JsonText::isNumber(t))
            out.transactionalMessageId.append(t);
        else if (!t.isEmpty())
            JsonText::appendString(out.transactionalMessageId, t);
    } else {
        out.transactionalMessageId = m_mapping.transactionalMessageId;
    }
    if (m_timestamp >= 0) {
        const QByteArrayView t = record.field(m_timestamp);
        if (!t.isEmpty() && !TypedValue::appendTimestamp(t, isoTimestamps(), out.timestamp)) {
            failure->message = tr("column '%1': expected a timestamp (ISO 8601 or epoch seconds), found %2")
                                   .arg(QString::fromUtf8(m_mapping.timestampColumn), TypedValue::quoted(t));
            return false;
        }
    }
    out.fields.append('{');
    for (const Column &c : std::as_const(m_attributes)) {
        const QByteArrayView value = record.field(c.index);
        if (value.isEmpty() && c.type != ColumnType::String)
            continue; // an empty typed cell means "no value", not an error
        m_value.resize(0);
        if (!appendTyped(value, c.type, c.name, failure))
            return false;
        const qsizetype valueBytes = c.type == ColumnType::String ? value.size() : m_value.size();
        if (!addField(c.outName, c.nameBytes, c.name, valueBytes, out, failure))
            return false;
    }
    return finish(out, failure);
}

bool RowMapper::mapJson(const Record &record, MappedRow &out, Failure *failure)
{
    const QJsonObject &o = record.object;
    const Mapping &m = m_mapping;
    const bool hasEvent = o.contains(QString::fromUtf8(m.eventColumn));
    out.operation = resolve(hasEvent);
    const auto get = [&](const QByteArray &key) -> QJsonValue {
        return key.isEmpty() ? QJsonValue() : o.value(QString::fromUtf8(key));
    };
    QStringList problems;
    checkRequired(out.operation, o.contains(QString::fromUtf8(m.idColumn)), hasEvent,
                  o.contains(QString::fromUtf8(m.anonymousIdColumn)), o.contains(QString::fromUtf8(m.emailColumn)),
                  &problems);
    if (!problems.isEmpty()) {
        failure->message = problems.join(QStringLiteral("; ")).replace(QLatin1String(" column"), QLatin1String(" field"));
        return false;
    }
    out.id = scalarBytes(get(m.idColumn));
    if (isEventOp(out.operation)) {
        out.eventName = hasEvent ? scalarBytes(get(m.eventColumn)) : m.eventName;
        out.eventId = scalarBytes(get(m.eventIdColumn));
    }
    out.anonymousId = scalarBytes(get(m.anonymousIdColumn));
    out.email = scalarBytes(get(m.emailColumn));
    if (out.operation == Operation::TransactionalEmail) {
        const QJsonValue t = get(m.transactionalMessageIdColumn);
        if (t.isDouble() || t.isString())
            JsonText::appendValue(out.transactionalMessageId, t);
        else
            out.transactionalMessageId = m.transactionalMessageId;
    }
    if (out.operation == Operation::BroadcastTrigger) {
        out.campaignId = scalarBytes(get(m.campaignIdColumn));
        if (out.campaignId.isEmpty())
            out.campaignId = m.campaignId;
    }
    if (!m.timestampColumn.isEmpty()) {
        const QJsonValue t = get(m.timestampColumn);
        const QByteArray text = scalarBytes(t);
        if (!text.isEmpty() && !TypedValue::appendTimestamp(text, isoTimestamps(), out.timestamp)) {
            failure->message = tr("field '%1': expected a timestamp (ISO 8601 or epoch seconds), found %2")
                                   .arg(QString::fromUtf8(m.timestampColumn), TypedValue::quoted(text));
            return false;
        }
    }
    out.fields.append('{');
    QByteArray jsonName;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QByteArray name = it.key().toUtf8();
        if (isSpecial(name, out.operation))
            continue;
        const auto spec = m.columns.constFind(name);
        if (spec == m.columns.cend() && m.onlyListedColumns)
            continue;
        const ColumnType type = spec == m.columns.cend() ? ColumnType::String : spec->type;
        if (type == ColumnType::Ignore)
            continue;
        const QJsonValue v = it.value();
        m_value.resize(0);
        qsizetype valueBytes = 0;
        if (v.isString() && type != ColumnType::String) {
            const QByteArray text = v.toString().toUtf8();
            if (text.isEmpty())
                continue;
            if (!appendTyped(text, type, name, failure))
                return false;
            valueBytes = m_value.size();
        } else if (v.isString()) {
            const QByteArray text = v.toString().toUtf8();
            JsonText::appendString(m_value, text);
            valueBytes = text.size();
        } else {
            JsonText::appendValue(m_value, v);
            valueBytes = m_value.size();
        }
        const QByteArray outName = spec != m.columns.cend() && !spec->rename.isEmpty() ? spec->rename : name;
        jsonName.resize(0);
        JsonText::appendString(jsonName, outName);
        jsonName.append(':');
        if (!addField(jsonName, outName.size(), name, valueBytes, out, failure))
            return false;
    }
    return finish(out, failure);
}

bool RowMapper::mapRequest(const Record &record, MappedRow &out, Failure *failure)
{
    out.operation = Operation::Request;
    const QJsonObject &o = record.object;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != QLatin1String("method") && it.key() != QLatin1String("path")
            && it.key() != QLatin1String("body")) {
            failure->message = tr("request: unknown field '%1' (expected method, path, body)").arg(it.key());
            return false;
        }
    }
    const QJsonValue method = o.value(QLatin1String("method"));
    const QJsonValue path = o.value(QLatin1String("path"));
    if (!method.isString()) {
        failure->message = tr("request: expected \"method\" to be a string such as \"POST\"");
        return false;
    }
    static const char *const kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    out.method = method.toString().toUpper().toLatin1();
    bool known = false;
    for (const char *k : kMethods)
        known = known || out.method == k;
    if (!known) {
        failure->message = tr("request: unknown method '%1' (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)")
                               .arg(method.toString());
        return false;
    }
    if (!path.isString() || !path.toString().startsWith(QLatin1Char('/'))) {
        failure->message = tr("request: expected \"path\" to be a string starting with '/'");
        return false;
    }
    out.path = path.toString().toUtf8();
    for (const char c : std::as_const(out.path)) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
            failure->message = tr("request: \"path\" contains a space or control character; percent-encode it");
            return false;
        }
    }
    if (RequestPath::hasDotSegment(out.path)) {
        failure->message = tr("request: \"path\" has a '.' or '..' segment, which would leave the endpoint "
                              "it names (or the API's base path); refused");
        return false;
    }
    const QJsonValue body = o.value(QLatin1String("body"));
    if (body.isString())
        out.body = body.toString().toUtf8();
    else if (!body.isNull() && !body.isUndefined())
        JsonText::appendValue(out.body, body);
    return true;
}

bool RowMapper::map(const Record &record, MappedRow &out, Failure *failure)
{
    out.clear();
    failure->payloadRule = false;
    if (ImportProfile::usesRequestFiles(m_profile) || m_mapping.operation == Operation::Request) {
        if (!record.isJson) {
            failure->message = tr("request files must be JSON Lines or a JSON array");
            return false;
        }
        if (!mapRequest(record, out, failure))
            return false;
        // A profile with endpoints of its own sends only those, whatever the file says.
        if (!RequestPath::isOperation(m_profile, out.method, QString::fromUtf8(out.path))) {
            failure->message = tr("request: %1 %2 is not a call of the %3 profile")
                                   .arg(QString::fromLatin1(out.method), QString::fromUtf8(out.path),
                                        ImportProfile::name(m_profile));
            return false;
        }
        return true;
    }
    return record.isJson ? mapJson(record, out, failure) : mapCsv(record, out, failure);
}

} // namespace headroom::imports
