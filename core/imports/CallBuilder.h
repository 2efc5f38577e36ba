#pragma once

#include "core/imports/ApiCall.h"
#include "core/imports/ImportProfile.h"
#include "core/imports/MappedRow.h"

namespace headroom::imports {

// Writes a mapped row as the profile's HTTP call, or as one element of its
// batch endpoint's array. Paths are relative to the profile's base URL; ids in
// paths are percent-encoded. Segment messageIds are "<prefix>-<row>", so a
// re-sent row deduplicates on the server.
class CallBuilder
{
public:
    CallBuilder(Profile profile, const QString &messageIdPrefix);

    void single(const MappedRow &row, qint64 rowNumber, qint64 line, ApiCall &out) const;
    // Whether `op` can travel in the profile's batch endpoint.
    bool batchable(Operation op) const;
    // Appends the batch element for `row` to `out`.
    void appendBatchItem(const MappedRow &row, qint64 rowNumber, QByteArray &out) const;

private:
    void appendMessageId(QByteArray &out, qint64 rowNumber) const;
    void appendSegmentMessage(const MappedRow &row, qint64 rowNumber, bool withType, QByteArray &out) const;

    Profile m_profile;
    QByteArray m_messageIdPrefix;
};

} // namespace headroom::imports
