#pragma once

#include "core/transfers/Transfer.h"
#include "core/transfers/TransferListFile.h"
#include "core/transfers/TransferQueue.h"

#include <QList>
#include <QObject>

namespace headroom::transfers {

// The console's imports in queue order, and the queue that starts them: when
// one is added, finishes or the number allowed at once changes, it asks
// TransferQueue which queued ones start and hands each to whoever starts
// runs (startRequested); a run that continues a stopped or cancelled import
// resumes from its run directory. Intents per import and for all of them
// arrive here and go to each import's RunController.
class TransferList : public QObject
{
    Q_OBJECT
public:
    explicit TransferList(QObject *parent = nullptr);

    int count() const { return int(m_transfers.size()); }
    Transfer *at(int index) const { return m_transfers.at(index); }
    int indexOf(const Transfer *transfer) const;
    Transfer *find(const QString &id) const;

    // Appends a queued import (a new id unless it has one) and lets the queue run.
    Transfer *add(TransferEntry entry);
    // Only an import that holds no place can go.
    bool remove(int index);
    void move(int from, int to);

    int maxActive() const { return m_queue.maxActive(); }
    void setMaxActive(int maxActive);

    // Puts a stopped, cancelled or failed import back in the queue (its run
    // continues where it stopped when it has a run directory).
    void requeue(int index);
    void pause(int index);
    void resume(int index); // a paused run goes on; a stopped one is requeued
    void cancel(int index);
    void pauseAll();
    void resumeAll();
    void cancelAll();

    TransferListFile::Contents contents() const;
    // Replaces the list (as read back after a restart); nothing starts.
    void restore(const TransferListFile::Contents &contents);

signals:
    void added(int index);
    void aboutToRemove(int index);
    void removed(int index);
    void moved(int from, int to);
    void transferChanged(int index);
    // `transfer` is to start now (resume when its entry has a run directory);
    // its state is Preflighting until its run starts or fails to.
    void startRequested(headroom::transfers::Transfer *transfer);

private:
    void adopt(Transfer *transfer);
    void schedule();

    QList<Transfer *> m_transfers;
    TransferQueue m_queue;
    bool m_scheduling = false;
};

} // namespace headroom::transfers
