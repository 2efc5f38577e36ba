#pragma once

#include "core/imports/MappedRow.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace headroom::imports {

// The key an API deduplicates a write on, derived from what the write is
// rather than where it came from: the destination (profile, host and the
// non-secret scope name of the credentials), the row's identity (operation,
// person, event) and its mapped content. A retry, a resume and a re-run of the
// same data get the same key whatever the file is called or the order of its
// rows; other content or another destination gets another. A key column the
// operator maps (event_id) always wins.
//
// Customer.io drops a Track event whose `id` (a ULID) it has seen; Segment
// drops a call whose `messageId` it has seen (about 24 hours, across all of
// Segment, hence the destination in the digest). Rows identical in every
// mapped field are one write by this rule.
class IdempotencyKey
{
public:
    static constexpr int kUlidLength = 26;

    explicit IdempotencyKey(QByteArray destination = {}, QByteArray messageIdPrefix = {});

    // "profile\nhost/path\nscope": what tells one destination from another,
    // without a secret (scopeName is a site id or a token's fingerprint).
    static QByteArray destinationOf(const QString &profile, const QUrl &baseUrl, const QString &scopeName);

    // A Customer.io event id: the mapped event id, else a ULID whose time part
    // is the event's timestamp when it has one.
    QByteArray eventId(const MappedRow &row) const;
    // A Segment messageId (under 100 characters): the mapped event id, else
    // "<prefix>-<ULID>" ("headroom-" without a prefix).
    QByteArray messageId(const MappedRow &row) const;

    // 128 bits as a ULID: 48 bits of time (ms), 80 bits of the digest.
    static QByteArray ulid(quint64 timeMs, const QByteArray &digest);
    static bool isUlid(QByteArrayView text);

private:
    QByteArray digest(const MappedRow &row) const;

    QByteArray m_destination;
    QByteArray m_messageIdPrefix;
};

} // namespace headroom::imports
