#pragma once

#include "core/transfers/TransferEntry.h"

#include <QObject>

namespace headroom::run {
class RunController;
struct RunSummary;
} // namespace headroom::run

namespace headroom::transfers {

// One import of the transfer list: what it sends (its entry) and its engine's
// face, a RunController it owns, which the console's widgets follow and steer.
// Its state follows the run: running or paused as the engine says, and on the
// run's end done, failed or cancelled.
class Transfer : public QObject
{
    Q_OBJECT
public:
    explicit Transfer(TransferEntry entry, QObject *parent = nullptr);

    const TransferEntry &entry() const { return m_entry; }
    QString id() const { return m_entry.id; }
    TransferState state() const { return m_entry.state; }
    run::RunController *controller() const { return m_controller; }

    void setState(TransferState state, const QString &message = {});
    void setRunDirectory(const QString &directory);
    void setPreflight(qint64 rows, qint64 badRows);

    // The state a run's ending leaves an import in.
    static TransferState stateAfter(const run::RunSummary &summary);

signals:
    // Anything shown of it changed: state, progress, its run directory.
    void changed();

private:
    TransferEntry m_entry;
    run::RunController *m_controller;
};

} // namespace headroom::transfers
