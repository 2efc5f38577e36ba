#pragma once

#include "core/imports/CallSource.h"
#include "core/run/RowDecisions.h"
#include "core/state/ChangeMode.h"
#include "core/state/SendDecision.h"

#include <QString>

#include <array>
#include <optional>

namespace headroom::run {

// How many rows of a file a run in a given mode would send and skip, read
// the way the run reads it (reader, mapping, the rows a resume skips), with
// the destination's store looked up and nothing written. What preflight and
// the run's first line say.
struct ChangePreview
{
    state::ChangeMode mode = state::ChangeMode::All;
    qint64 rowsToSend = 0;
    qint64 rowsSkipped = 0;
    std::array<qint64, state::SendDecision::kReasonCount> reasons{};
    qint64 storedRows = 0; // identities the store holds (0: no store yet)
    // Each counted row's verdict, kept when count() is asked to keep them:
    // the run that follows takes them instead of deciding again.
    RowDecisions decisions;

    enum class Keep { Counts,
                      Decisions };

    // `storePath` need not exist (everything is new then). Fails on a file
    // the source cannot open or a store that is not one.
    static std::optional<ChangePreview> count(imports::CallSourceOptions source, const QString &storePath,
                                              const QByteArray &destination, state::ChangeMode mode,
                                              QString *error, Keep keep = Keep::Counts);

    // "980,112 unchanged rows skipped: 2 h 43 min at 100/s; 9,888 rows to send".
    // `ratePerS` <= 0 leaves the time out.
    QString text(double ratePerS) const;
    // "2 h 43 min", "4 min 10 s", "12 s".
    static QString durationText(double seconds);
};

} // namespace headroom::run
