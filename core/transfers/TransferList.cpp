#include "core/transfers/TransferList.h"

#include "core/run/RunController.h"

#include <QUuid>

namespace headroom::transfers {

TransferList::TransferList(QObject *parent)
    : QObject(parent)
{
}

int TransferList::indexOf(const Transfer *transfer) const
{
    return int(m_transfers.indexOf(const_cast<Transfer *>(transfer)));
}

Transfer *TransferList::find(const QString &id) const
{
    for (Transfer *t : m_transfers) {
        if (t->id() == id)
            return t;
    }
    return nullptr;
}

void TransferList::adopt(Transfer *transfer)
{
    transfer->setParent(this);
    connect(transfer, &Transfer::changed, this, [this, transfer] {
        const int index = indexOf(transfer);
        if (index < 0)
            return;
        emit transferChanged(index);
        if (!holdsPlace(transfer->state()))
            schedule();
    });
}

Transfer *TransferList::add(TransferEntry entry)
{
    if (entry.id.isEmpty())
        entry.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    entry.state = TransferState::Queued;
    auto *transfer = new Transfer(std::move(entry), this);
    adopt(transfer);
    m_transfers << transfer;
    emit added(count() - 1);
    schedule();
    return transfer;
}

bool TransferList::remove(int index)
{
    if (index < 0 || index >= count() || holdsPlace(at(index)->state()))
        return false;
    emit aboutToRemove(index);
    Transfer *transfer = m_transfers.takeAt(index);
    emit removed(index);
    delete transfer;
    return true;
}

void TransferList::move(int from, int to)
{
    if (from < 0 || from >= count() || to < 0 || to >= count() || from == to)
        return;
    m_transfers.move(from, to);
    emit moved(from, to);
    schedule();
}

void TransferList::setMaxActive(int maxActive)
{
    m_queue.setMaxActive(maxActive);
    schedule();
}

void TransferList::schedule()
{
    if (m_scheduling)
        return; // a start that changes a state re-enters; the outer pass goes on
    m_scheduling = true;
    QList<TransferState> states;
    for (const Transfer *t : std::as_const(m_transfers))
        states << t->state();
    for (int index : m_queue.toStart(states)) {
        Transfer *transfer = m_transfers.at(index);
        transfer->setState(TransferState::Preflighting);
        emit startRequested(transfer);
    }
    m_scheduling = false;
}

void TransferList::requeue(int index)
{
    if (index < 0 || index >= count())
        return;
    Transfer *transfer = at(index);
    if (isResumable(transfer->state()) || transfer->state() == TransferState::Failed)
        transfer->setState(TransferState::Queued);
    schedule();
}

void TransferList::pause(int index)
{
    if (index >= 0 && index < count() && at(index)->state() == TransferState::Running)
        at(index)->controller()->pause();
}

void TransferList::resume(int index)
{
    if (index < 0 || index >= count())
        return;
    if (at(index)->state() == TransferState::Paused)
        at(index)->controller()->resume();
    else
        requeue(index);
}

void TransferList::cancel(int index)
{
    if (index < 0 || index >= count())
        return;
    Transfer *transfer = at(index);
    if (transfer->controller()->isRunning())
        transfer->controller()->cancel(); // its run's end says Cancelled
    else if (transfer->state() == TransferState::Queued || transfer->state() == TransferState::Preflighting)
        transfer->setState(TransferState::Cancelled); // whoever starts it sees that and stops
}

void TransferList::pauseAll()
{
    for (int i = 0; i < count(); ++i)
        pause(i);
}

void TransferList::resumeAll()
{
    for (int i = 0; i < count(); ++i) {
        if (at(i)->state() == TransferState::Paused || isResumable(at(i)->state()))
            resume(i);
    }
}

void TransferList::cancelAll()
{
    // Queued ones first, so a cancelled run's end starts none of them.
    for (int i = 0; i < count(); ++i) {
        if (at(i)->state() == TransferState::Queued)
            cancel(i);
    }
    for (int i = 0; i < count(); ++i)
        cancel(i);
}

TransferListFile::Contents TransferList::contents() const
{
    TransferListFile::Contents contents;
    contents.maxActive = maxActive();
    for (const Transfer *t : m_transfers)
        contents.entries << t->entry();
    return contents;
}

void TransferList::restore(const TransferListFile::Contents &contents)
{
    while (count() > 0) {
        emit aboutToRemove(count() - 1);
        Transfer *transfer = m_transfers.takeLast();
        emit removed(count());
        delete transfer;
    }
    m_queue.setMaxActive(contents.maxActive);
    for (const TransferEntry &entry : contents.entries) {
        auto *transfer = new Transfer(entry, this);
        adopt(transfer);
        m_transfers << transfer;
        emit added(count() - 1);
    }
}

} // namespace headroom::transfers
