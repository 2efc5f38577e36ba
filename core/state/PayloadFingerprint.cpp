#include "core/state/PayloadFingerprint.h"

#include "core/state/CanonicalJson.h"

#include <QCryptographicHash>

namespace headroom::state {

namespace {

using imports::Operation;

// Each part with its length first, so ("ab","c") and ("a","bc") differ.
void addPart(QCryptographicHash &hash, QByteArrayView part)
{
    const quint32 n = quint32(part.size());
    const char size[4] = {char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
    hash.addData(QByteArrayView(size, 4));
    hash.addData(part);
}

void addOperation(QCryptographicHash &hash, Operation operation)
{
    const char op = char(operation);
    addPart(hash, QByteArrayView(&op, 1));
}

void addPayload(QCryptographicHash &hash, const imports::MappedRow &row)
{
    for (const QByteArray *part : {&row.id, &row.anonymousId, &row.email, &row.eventName, &row.timestamp})
        addPart(hash, *part);
    addPart(hash, CanonicalJson::of(row.fields));
    for (const QByteArray *part : {&row.transactionalMessageId, &row.campaignId, &row.method, &row.path})
        addPart(hash, *part);
    addPart(hash, CanonicalJson::of(row.body));
}

QByteArray result(QCryptographicHash &hash)
{
    return hash.result().left(PayloadFingerprint::kSize);
}

} // namespace

bool PayloadFingerprint::isPersonWrite(const imports::MappedRow &row)
{
    switch (row.operation) {
    case Operation::Identify:
    case Operation::Suppress:
    case Operation::Delete:
        return true;
    case Operation::Request:
        return row.method == "PUT" || row.method == "PATCH" || row.method == "DELETE";
    default:
        return false;
    }
}

QByteArray PayloadFingerprint::identityOf(const imports::MappedRow &row)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    addOperation(hash, row.operation);
    if (!isPersonWrite(row)) {
        addPayload(hash, row);
        return result(hash);
    }
    if (row.operation == Operation::Request) {
        addPart(hash, row.method);
        addPart(hash, row.path);
    } else if (!row.id.isEmpty()) {
        addPart(hash, "id");
        addPart(hash, row.id);
    } else if (!row.anonymousId.isEmpty()) {
        addPart(hash, "anonymous");
        addPart(hash, row.anonymousId);
    } else {
        addPart(hash, "email");
        addPart(hash, row.email);
    }
    return result(hash);
}

QByteArray PayloadFingerprint::fingerprintOf(const imports::MappedRow &row)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    addOperation(hash, row.operation);
    addPayload(hash, row);
    return result(hash);
}

QByteArray PayloadFingerprint::labelOf(const imports::MappedRow &row)
{
    constexpr int kMaxLabel = 150;
    QByteArray label;
    if (row.operation == Operation::Request)
        label = row.method + ' ' + row.path;
    else if (!row.id.isEmpty())
        label = row.id;
    else if (!row.anonymousId.isEmpty())
        label = row.anonymousId;
    else
        label = row.email;
    if (!isPersonWrite(row) && !row.eventName.isEmpty())
        label += ' ' + row.eventName;
    return label.left(kMaxLabel);
}

} // namespace headroom::state
