#pragma once

#include "core/imports/Mapping.h"

#include <QByteArray>

namespace headroom::imports {

// A row after mapping, before it is written as a call: the operation and its
// parts, each already valid JSON text or raw UTF-8. Reused from row to row.
struct MappedRow
{
    Operation operation = Operation::Identify;
    QByteArray id;          // person id / Segment userId (raw UTF-8)
    QByteArray anonymousId; // raw UTF-8
    QByteArray email;       // raw UTF-8
    QByteArray eventName;   // raw UTF-8
    QByteArray eventId;     // raw UTF-8; Customer.io dedupes events on it
    QByteArray timestamp;   // JSON value text, or empty
    QByteArray fields;      // JSON object text: attributes / data / traits / properties / message_data
    int fieldCount = 0;
    QByteArray transactionalMessageId; // JSON value text
    QByteArray campaignId;             // raw, goes into a path
    // Request files.
    QByteArray method;
    QByteArray path;
    QByteArray body;

    void clear()
    {
        id.resize(0);
        anonymousId.resize(0);
        email.resize(0);
        eventName.resize(0);
        eventId.resize(0);
        timestamp.resize(0);
        fields.resize(0);
        fieldCount = 0;
        transactionalMessageId.resize(0);
        campaignId.resize(0);
        method.resize(0);
        path.resize(0);
        body.resize(0);
    }

    // What makes two rows the same write: the person for profile writes, the
    // event id for events (events for one person are expected to repeat).
    QByteArrayView duplicateKey() const
    {
        switch (operation) {
        case Operation::Identify:
        case Operation::Suppress:
        case Operation::Delete:
            return id.isEmpty() ? QByteArrayView(anonymousId) : QByteArrayView(id);
        case Operation::Track:
        case Operation::AnonymousTrack:
            return eventId;
        default:
            return {};
        }
    }
};

} // namespace headroom::imports
