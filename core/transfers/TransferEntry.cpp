#include "core/transfers/TransferEntry.h"

namespace headroom::transfers {

namespace {
constexpr TransferState kAllStates[] = {TransferState::Queued, TransferState::Preflighting, TransferState::Running,
                                        TransferState::Paused, TransferState::Done, TransferState::Failed,
                                        TransferState::Cancelled, TransferState::Stopped};
}

QString TransferEntry::stateName(TransferState state)
{
    switch (state) {
    case TransferState::Queued: return QStringLiteral("queued");
    case TransferState::Preflighting: return QStringLiteral("preflighting");
    case TransferState::Running: return QStringLiteral("running");
    case TransferState::Paused: return QStringLiteral("paused");
    case TransferState::Done: return QStringLiteral("done");
    case TransferState::Failed: return QStringLiteral("failed");
    case TransferState::Cancelled: return QStringLiteral("cancelled");
    case TransferState::Stopped: return QStringLiteral("stopped");
    }
    return {};
}

std::optional<TransferState> TransferEntry::stateFromName(const QString &name)
{
    for (TransferState state : kAllStates) {
        if (stateName(state) == name)
            return state;
    }
    return std::nullopt;
}

} // namespace headroom::transfers
