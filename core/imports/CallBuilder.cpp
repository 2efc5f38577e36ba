#include "core/imports/CallBuilder.h"

#include "core/imports/JsonText.h"

namespace headroom::imports {

namespace {

QString pathWithId(const char *before, const QByteArray &id, const char *after = "")
{
    return QLatin1String(before) + QString::fromLatin1(id.toPercentEncoding()) + QLatin1String(after);
}

void appendKey(QByteArray &out, const char *key)
{
    out.append('"');
    out.append(key);
    out.append("\":");
}

// Where a call goes and the operation name its logs and charts show.
void route(ApiCall &out, const QByteArray &method, const QString &path, const char *operation)
{
    out.method = method;
    out.path = path;
    out.operation = QLatin1String(operation);
}

// A Customer.io event, named or anonymous: one body for both, where only the
// anonymous one carries "anonymous_id".
void appendEventBody(const MappedRow &row, const QByteArray &eventId, QByteArray &b)
{
    b.append('{');
    appendKey(b, "name");
    JsonText::appendString(b, row.eventName);
    if (row.operation == Operation::AnonymousTrack && !row.anonymousId.isEmpty()) {
        b.append(',');
        appendKey(b, "anonymous_id");
        JsonText::appendString(b, row.anonymousId);
    }
    b.append(',');
    appendKey(b, "id");
    JsonText::appendString(b, eventId);
    if (!row.timestamp.isEmpty()) {
        b.append(',');
        appendKey(b, "timestamp");
        b.append(row.timestamp);
    }
    b.append(',');
    appendKey(b, "data");
    b.append(row.fields);
    b.append('}');
}

// The recipient is identified by id when the row has one, else by its address.
void appendTransactionalEmailBody(const MappedRow &row, QByteArray &b)
{
    b.append('{');
    appendKey(b, "transactional_message_id");
    b.append(row.transactionalMessageId);
    b.append(',');
    appendKey(b, "to");
    JsonText::appendString(b, row.email);
    b.append(',');
    appendKey(b, "identifiers");
    b.append('{');
    if (!row.id.isEmpty()) {
        appendKey(b, "id");
        JsonText::appendString(b, row.id);
    } else {
        appendKey(b, "email");
        JsonText::appendString(b, row.email);
    }
    b.append("},");
    appendKey(b, "message_data");
    b.append(row.fields);
    b.append('}');
}

// A trigger for one person: by id when the row has one, else by email.
void appendBroadcastTriggerBody(const MappedRow &row, QByteArray &b)
{
    b.append('{');
    if (!row.id.isEmpty()) {
        appendKey(b, "ids");
        b.append('[');
        JsonText::appendString(b, row.id);
        b.append(']');
    } else {
        appendKey(b, "emails");
        b.append('[');
        JsonText::appendString(b, row.email);
        b.append(']');
    }
    b.append(',');
    appendKey(b, "data");
    b.append(row.fields);
    b.append('}');
}

} // namespace

CallBuilder::CallBuilder(Profile profile, IdempotencyKey keys)
    : m_profile(profile)
    , m_keys(std::move(keys))
{
}

bool CallBuilder::batchable(Operation op) const
{
    if (m_profile == Profile::CustomerIoTrack)
        return op == Operation::Identify || op == Operation::Track || op == Operation::Suppress
               || op == Operation::Delete;
    if (ImportProfile::isSegmentCompatible(m_profile))
        return op == Operation::Identify || op == Operation::Track;
    return false;
}

void CallBuilder::appendSegmentMessage(const MappedRow &row, bool withType, QByteArray &b) const
{
    // One shape for /v1/identify, /v1/track and the items of /v1/batch, which
    // add only "type".
    const bool track = row.operation == Operation::Track;
    b.append('{');
    if (withType) {
        appendKey(b, "type");
        b.append(track ? "\"track\"," : "\"identify\",");
    }
    if (!row.id.isEmpty()) {
        appendKey(b, "userId");
        JsonText::appendString(b, row.id);
        b.append(',');
    }
    if (!row.anonymousId.isEmpty()) {
        appendKey(b, "anonymousId");
        JsonText::appendString(b, row.anonymousId);
        b.append(',');
    }
    if (track) {
        appendKey(b, "event");
        JsonText::appendString(b, row.eventName);
        b.append(',');
        appendKey(b, "properties");
    } else {
        appendKey(b, "traits");
    }
    b.append(row.fields);
    b.append(',');
    if (!row.timestamp.isEmpty()) {
        appendKey(b, "timestamp");
        b.append(row.timestamp);
        b.append(',');
    }
    appendKey(b, "messageId");
    JsonText::appendString(b, m_keys.messageId(row));
    b.append('}');
}

void CallBuilder::single(const MappedRow &row, qint64 rowNumber, qint64 line, ApiCall &out) const
{
    out.rows = {rowNumber};
    out.lines = {line};
    out.body.resize(0);
    QByteArray &b = out.body;
    switch (row.operation) {
    case Operation::Identify:
        if (ImportProfile::isSegmentCompatible(m_profile)) {
            route(out, "POST", QStringLiteral("/v1/identify"), "identify");
            appendSegmentMessage(row, false, b);
        } else {
            route(out, "PUT", pathWithId("/api/v1/customers/", row.id), "identify");
            b.append(row.fields);
        }
        return;
    case Operation::Track:
        if (ImportProfile::isSegmentCompatible(m_profile)) {
            route(out, "POST", QStringLiteral("/v1/track"), "track");
            appendSegmentMessage(row, false, b);
        } else {
            route(out, "POST", pathWithId("/api/v1/customers/", row.id, "/events"), "track");
            appendEventBody(row, m_keys.eventId(row), b);
        }
        return;
    case Operation::AnonymousTrack:
        route(out, "POST", QStringLiteral("/api/v1/events"), "anonymous_track");
        appendEventBody(row, m_keys.eventId(row), b);
        return;
    case Operation::Suppress:
        route(out, "POST", pathWithId("/api/v1/customers/", row.id, "/suppress"), "suppress");
        return;
    case Operation::Delete:
        route(out, "DELETE", pathWithId("/api/v1/customers/", row.id), "delete");
        return;
    case Operation::TransactionalEmail:
        route(out, "POST", QStringLiteral("/v1/send/email"), "transactional_email");
        appendTransactionalEmailBody(row, b);
        return;
    case Operation::BroadcastTrigger:
        route(out, "POST", pathWithId("/v1/campaigns/", row.campaignId, "/triggers"), "broadcast_trigger");
        appendBroadcastTriggerBody(row, b);
        return;
    case Operation::Request:
    case Operation::Auto:
        route(out, row.method, QString::fromUtf8(row.path), "request");
        b.append(row.body);
        return;
    }
}

void CallBuilder::appendBatchItem(const MappedRow &row, QByteArray &b) const
{
    if (ImportProfile::isSegmentCompatible(m_profile)) {
        appendSegmentMessage(row, true, b);
        return;
    }
    // Customer.io Track v2: {"type":"person","identifiers":{"id":..},"action":..,...}
    b.append("{\"type\":\"person\",\"identifiers\":{\"id\":");
    JsonText::appendString(b, row.id);
    b.append("},\"action\":");
    switch (row.operation) {
    case Operation::Identify:
        b.append("\"identify\",\"attributes\":");
        b.append(row.fields);
        break;
    case Operation::Track:
        b.append("\"event\",\"name\":");
        JsonText::appendString(b, row.eventName);
        b.append(",\"id\":");
        JsonText::appendString(b, m_keys.eventId(row));
        if (!row.timestamp.isEmpty()) {
            b.append(",\"timestamp\":");
            b.append(row.timestamp);
        }
        b.append(",\"attributes\":");
        b.append(row.fields);
        break;
    case Operation::Suppress:
        b.append("\"suppress\"");
        break;
    case Operation::Delete:
        b.append("\"delete\"");
        break;
    default:
        b.append("null");
        break;
    }
    b.append('}');
}

} // namespace headroom::imports
