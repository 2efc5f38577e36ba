#pragma once

#include <QMetaType>

namespace headroom::transfers {

// Where one import of the transfer list stands.
enum class TransferState {
    Queued,       // waiting for a free place in the queue
    Preflighting, // its file is being checked before it starts
    Running,
    Paused,    // its run holds its place and sends nothing
    Done,      // finished (dead letters included)
    Failed,    // could not start, or the run failed
    Cancelled, // cancelled by the operator; resumable
    Stopped,   // unfinished when the console closed; resumable
};

// An import that holds one of the queue's places: its run exists (or is about
// to), so a paused one counts too, or resuming it would exceed the setting.
constexpr bool holdsPlace(TransferState state)
{
    return state == TransferState::Preflighting || state == TransferState::Running || state == TransferState::Paused;
}

// An import whose run can continue from its journal.
constexpr bool isResumable(TransferState state)
{
    return state == TransferState::Cancelled || state == TransferState::Stopped;
}

} // namespace headroom::transfers

Q_DECLARE_METATYPE(headroom::transfers::TransferState)
