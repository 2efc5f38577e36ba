#include "core/transfers/Transfer.h"

#include "core/run/RunController.h"

namespace headroom::transfers {

Transfer::Transfer(TransferEntry entry, QObject *parent)
    : QObject(parent)
    , m_entry(std::move(entry))
    , m_controller(new run::RunController(this)) // the first child: it goes (and joins its engine) first
{
    connect(m_controller, &run::RunController::stateChanged, this, [this](run::Dispatcher::State state) {
        if (state == run::Dispatcher::State::Paused)
            setState(TransferState::Paused);
        else if (state == run::Dispatcher::State::Running)
            setState(TransferState::Running);
    });
    connect(m_controller, &run::RunController::progressed, this, &Transfer::changed);
    connect(m_controller, &run::RunController::finished, this, [this](const run::RunSummary &summary) {
        setState(stateAfter(summary), summary.ending == run::RunSummary::Ending::Failed ? summary.error : summary.stopped);
    });
}

TransferState Transfer::stateAfter(const run::RunSummary &summary)
{
    switch (summary.ending) {
    case run::RunSummary::Ending::Completed: return TransferState::Done;
    case run::RunSummary::Ending::Failed: return TransferState::Failed;
    case run::RunSummary::Ending::Cancelled:
    case run::RunSummary::Ending::Drained: return TransferState::Cancelled;
    case run::RunSummary::Ending::GaveUp: return TransferState::Stopped;
    }
    return TransferState::Failed;
}

void Transfer::setState(TransferState state, const QString &message)
{
    if (state == m_entry.state && message == m_entry.message)
        return;
    m_entry.state = state;
    m_entry.message = message;
    emit changed();
}

void Transfer::setRunDirectory(const QString &directory)
{
    m_entry.runDirectory = directory;
    emit changed();
}

void Transfer::setPreflight(qint64 rows, qint64 badRows)
{
    m_entry.preflightRows = rows;
    m_entry.preflightBadRows = badRows;
    emit changed();
}

} // namespace headroom::transfers
