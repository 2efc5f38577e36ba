#pragma once

#include "core/imports/ImportProfile.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace headroom::imports {

enum class Operation {
    Auto,               // decided from the columns: an event column makes it Track, else Identify
    Identify,           // Customer.io identify / Segment identify
    Track,              // Customer.io track / Segment track
    AnonymousTrack,     // Customer.io anonymous event
    Suppress,           // Customer.io suppress
    Delete,             // Customer.io delete
    TransactionalEmail, // Customer.io App transactional email
    BroadcastTrigger,   // Customer.io App API-triggered broadcast
    Request,            // request files: {method, path, body}
};

enum class ColumnType { String,
                        Number,
                        Boolean,
                        Timestamp,
                        Ignore };

struct ColumnSpec
{
    ColumnType type = ColumnType::String;
    QByteArray rename; // name sent to the API; empty = the column's own name
};

// How the columns of a file become API operations. The defaults are the
// contract in DESIGN.md (an `id` column, every other column an attribute, an
// `event` column makes each row a track call); a mapping file (JSON, see
// docs in fromJson) overrides them for the CLI and the console.
struct Mapping
{
    Operation operation = Operation::Auto;
    QByteArray idColumn = "id";
    QByteArray eventColumn = "event";
    QByteArray eventName; // a fixed event name instead of a column
    QByteArray eventIdColumn = "event_id";
    QByteArray anonymousIdColumn = "anonymous_id";
    QByteArray timestampColumn; // event/message timestamp; none by default
    QByteArray emailColumn = "email";
    QByteArray transactionalMessageId; // JSON value text (number or string)
    QByteArray transactionalMessageIdColumn = "transactional_message_id";
    QByteArray campaignId;
    QByteArray campaignIdColumn = "campaign_id";
    QString messageIdPrefix;        // Segment messageId prefix; empty = decided by the source
    bool onlyListedColumns = false; // send only the columns named in `columns`
    QHash<QByteArray, ColumnSpec> columns;

    // Parses a mapping file:
    // {"operation": "identify|track|anonymous_track|suppress|delete|transactional_email|broadcast_trigger|request",
    //  "id_column": "id", "event_column": "event", "event_name": "signed_up", "event_id_column": "event_id",
    //  "anonymous_id_column": "anonymous_id", "timestamp_column": "ts", "email_column": "email",
    //  "transactional_message_id": 3, "transactional_message_id_column": "...", "campaign_id": 7,
    //  "campaign_id_column": "...", "message_id_prefix": "import-42", "only_listed_columns": false,
    //  "columns": {"age": "number", "vip": "boolean", "seen": "timestamp", "notes": "ignore",
    //              "First Name": {"type": "string", "as": "first_name"}}}
    // Unknown keys are errors, so a typo cannot silently change an import.
    static std::optional<Mapping> fromJson(const QByteArray &json, QString *error);
    static std::optional<Mapping> fromFile(const QString &path, QString *error);
    QByteArray toJson() const;

    static QString operationName(Operation op);
    static std::optional<Operation> operationFromName(const QString &name);
    static QString typeName(ColumnType type);
    static std::optional<ColumnType> typeFromName(const QString &name);
    // Whether `op` exists on `profile` (Auto exists everywhere).
    static bool supports(Profile profile, Operation op);
};

} // namespace headroom::imports
