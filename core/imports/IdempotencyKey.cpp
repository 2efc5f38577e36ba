#include "core/imports/IdempotencyKey.h"

#include <QCryptographicHash>
#include <QDateTime>

#include <cstring>
#include <optional>

namespace headroom::imports {

namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr quint64 kMaxUlidTime = (quint64(1) << 48) - 1;

// Each part with its length first, so ("ab","c") and ("a","bc") differ.
void addPart(QCryptographicHash &hash, QByteArrayView part)
{
    const quint32 n = quint32(part.size());
    const char size[4] = {char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
    hash.addData(QByteArrayView(size, 4));
    hash.addData(part);
}

// The event's own time in ms: a number of seconds (Customer.io's form) or an
// ISO 8601 string; nullopt when it has none or it is out of range.
std::optional<quint64> timestampMs(QByteArrayView json)
{
    if (json.isEmpty())
        return std::nullopt;
    qint64 ms = -1;
    if (json.front() == '"') {
        const QDateTime at = QDateTime::fromString(
            QString::fromUtf8(json.sliced(1, qMax<qsizetype>(0, json.size() - 2))), Qt::ISODateWithMs);
        if (at.isValid())
            ms = at.toMSecsSinceEpoch();
    } else {
        bool ok = false;
        const double seconds = json.toByteArray().toDouble(&ok);
        if (ok && seconds >= 0 && seconds < double(kMaxUlidTime) / 1000.0)
            ms = qint64(seconds * 1000.0);
    }
    if (ms < 0 || quint64(ms) > kMaxUlidTime)
        return std::nullopt;
    return quint64(ms);
}

} // namespace

IdempotencyKey::IdempotencyKey(QByteArray destination, QByteArray messageIdPrefix)
    : m_destination(std::move(destination))
    , m_messageIdPrefix(messageIdPrefix.isEmpty() ? QByteArrayLiteral("headroom") : std::move(messageIdPrefix))
{
    // Segment keeps messageIds under 100 characters: "-" and a ULID take 27.
    m_messageIdPrefix.truncate(99 - 1 - kUlidLength);
}

QByteArray IdempotencyKey::destinationOf(const QString &profile, const QUrl &baseUrl, const QString &scopeName)
{
    // The port is left out: the sandbox listens on a new one each start.
    return profile.toUtf8() + '\n' + baseUrl.host().toLower().toUtf8() + baseUrl.path().toUtf8() + '\n'
           + scopeName.toUtf8();
}

QByteArray IdempotencyKey::digest(const MappedRow &row) const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    addPart(hash, m_destination);
    const char operation = char(row.operation);
    addPart(hash, QByteArrayView(&operation, 1));
    for (const QByteArray *part : {&row.id, &row.anonymousId, &row.email, &row.eventName, &row.timestamp,
                                   &row.fields, &row.transactionalMessageId, &row.campaignId, &row.method,
                                   &row.path, &row.body})
        addPart(hash, *part);
    return hash.result();
}

QByteArray IdempotencyKey::ulid(quint64 timeMs, const QByteArray &digest)
{
    QByteArray out(kUlidLength, '0');
    quint64 time = timeMs & kMaxUlidTime;
    for (int i = 9; i >= 0; --i) {
        out[i] = kCrockford[time & 31];
        time >>= 5;
    }
    // 80 bits = 16 characters of 5 bits, from the digest's first 10 bytes.
    quint64 high = 0; // bits 79..40
    quint64 low = 0;  // bits 39..0
    for (int i = 0; i < 5; ++i) {
        high = (high << 8) | quint8(digest.at(i));
        low = (low << 8) | quint8(digest.at(i + 5));
    }
    for (int i = 7; i >= 0; --i) {
        out[10 + i] = kCrockford[high & 31];
        high >>= 5;
        out[18 + i] = kCrockford[low & 31];
        low >>= 5;
    }
    return out;
}

bool IdempotencyKey::isUlid(QByteArrayView text)
{
    if (text.size() != kUlidLength || text.front() > '7')
        return false;
    for (char c : text) {
        if (!std::strchr(kCrockford, c) || c == '\0')
            return false;
    }
    return true;
}

QByteArray IdempotencyKey::eventId(const MappedRow &row) const
{
    if (!row.eventId.isEmpty())
        return row.eventId;
    const QByteArray d = digest(row);
    // Without a timestamp the time part comes from the digest too: 128 bits
    // of it then tell rows apart instead of 80.
    quint64 time = 0;
    if (const auto at = timestampMs(row.timestamp)) {
        time = *at;
    } else {
        for (int i = 10; i < 16; ++i)
            time = (time << 8) | quint8(d.at(i));
    }
    return ulid(time, d);
}

QByteArray IdempotencyKey::messageId(const MappedRow &row) const
{
    if (!row.eventId.isEmpty())
        return row.eventId;
    return m_messageIdPrefix + '-' + eventId(row);
}

} // namespace headroom::imports
