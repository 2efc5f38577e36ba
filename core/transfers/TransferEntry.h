#pragma once

#include "core/run/RunSettings.h"
#include "core/transfers/TransferState.h"

#include <QByteArray>
#include <QString>

namespace headroom::transfers {

// What the transfer list keeps of one import across restarts: what to send
// (the settings name its file, profile and target), how (its mapping) and
// where its run lives. Everything a run itself records stays in its run
// directory, as for any run; no secret is ever here.
struct TransferEntry
{
    QString id;                // stable across restarts
    run::RunSettings settings; // settings.file is the import file
    QByteArray mapping;        // the mapping as JSON (Mapping::toJson); empty: the default
    QString runDirectory;      // empty until its run was created
    TransferState state = TransferState::Queued;
    qint64 preflightRows = -1;    // rows preflight counted; -1: not checked yet
    qint64 preflightBadRows = -1; // bad rows among them
    QString message;              // why it failed, or the run's last words

    static QString stateName(TransferState state);
    static std::optional<TransferState> stateFromName(const QString &name);
};

} // namespace headroom::transfers
