#pragma once

#include "core/imports/MappedRow.h"

#include <QByteArray>

namespace headroom::state {

// What the store keys and compares a row by, both 16 bytes of SHA-256.
//
// The identity is what the row writes to: for identify, suppress and delete
// the person (id, else anonymous id, else email), so a new payload for the
// same person is a change; for a request file's PUT, PATCH or DELETE the
// resource (method and path). Everything else (events, sends, triggers, POSTs)
// is a new thing each time its content differs, so its identity is its whole
// mapped payload: "changed" there means "not accepted yet".
//
// The fingerprint is the mapped payload with its JSON objects in canonical
// form (keys sorted, no spaces), so a re-export with its columns in another
// order fingerprints the same. The idempotency key (a mapped event id) is
// left out: it names a write, it is not part of what is written.
class PayloadFingerprint
{
public:
    static constexpr int kSize = 16;

    static QByteArray identityOf(const imports::MappedRow &row);
    static QByteArray fingerprintOf(const imports::MappedRow &row);
    // Human-readable identity for `state show`: the person, the resource or
    // the event's name (bounded).
    static QByteArray labelOf(const imports::MappedRow &row);
    static bool isPersonWrite(const imports::MappedRow &row);
};

} // namespace headroom::state
