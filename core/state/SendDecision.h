#pragma once

#include "core/state/ChangeMode.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace headroom::state {

// Whether a row goes out, from the run's mode and what the destination last
// accepted for the row's identity (its payload's fingerprint, or nothing).
class SendDecision
{
public:
    enum class Reason {
        Unfiltered, // mode All: every row is sent
        New,        // the destination never accepted this identity
        Changed,    // it accepted another payload for it
        Unchanged,  // it accepted this very payload: skipped
        Known,      // only-new, and the identity was accepted before: skipped
        Existing,   // only-existing, and the identity was accepted before
        Unknown,    // only-existing, and the identity was never accepted: skipped
    };
    static constexpr int kReasonCount = 7;

    struct Verdict
    {
        bool send = true;
        Reason reason = Reason::Unfiltered;
    };

    static Verdict decide(ChangeMode mode, const std::optional<QByteArray> &stored, const QByteArray &fingerprint);
    // "unchanged", "new", ...: for logs and summaries.
    static QString reasonName(Reason reason);
};

} // namespace headroom::state
