#pragma once

#include "core/run/AttemptOutcome.h"

#include <QString>

#include <array>

namespace headroom::run {

// Rows by how they ended (delivered, rejected by class, ambiguous) and the
// attempts that may have been applied: one tally for the summary, the CLI's
// last line and the console's log, so all of them count alike.
struct OutcomeCounts
{
    static constexpr int kRejectClasses = 6; // AttemptOutcome::RejectClass

    qint64 delivered = 0;
    std::array<qint64, kRejectClasses> rejectedBy{};
    qint64 ambiguous = 0;
    // Attempts that may have been applied: retried with the same key, or
    // dead-lettered where a copy would not be deduplicated.
    qint64 attemptsAmbiguous = 0;

    // Adds `rows` rows that ended as `outcome`.
    void countRows(const AttemptOutcome &outcome, qint64 rows);
    qint64 rejected() const;
    // "995 delivered, 3 rejected (identifier 1, schema 2), 2 ambiguous".
    QString text() const;

    bool operator==(const OutcomeCounts &other) const = default;
};

} // namespace headroom::run
