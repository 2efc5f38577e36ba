#pragma once

#include "core/imports/ApiCall.h"
#include "core/imports/IdempotencyKey.h"
#include "core/imports/ImportProfile.h"
#include "core/imports/MappedRow.h"

namespace headroom::imports {

// Writes a mapped row as the profile's HTTP call, or as one element of its
// batch endpoint's array. Paths are relative to the profile's base URL; ids in
// paths are percent-encoded. Customer.io events carry an `id` and Segment
// calls a `messageId` from IdempotencyKey, so a re-sent row deduplicates on
// the server.
class CallBuilder
{
public:
    CallBuilder(Profile profile, IdempotencyKey keys);

    void single(const MappedRow &row, qint64 rowNumber, qint64 line, ApiCall &out) const;
    // Whether `op` can travel in the profile's batch endpoint.
    bool batchable(Operation op) const;
    // Appends the batch element for `row` to `out`.
    void appendBatchItem(const MappedRow &row, QByteArray &out) const;

private:
    void appendSegmentMessage(const MappedRow &row, bool withType, QByteArray &out) const;

    Profile m_profile;
    IdempotencyKey m_keys;
};

} // namespace headroom::imports
