#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>

namespace headroom::transfers {
class Transfer;
class TransferList;
} // namespace headroom::transfers

namespace headroom::ui {

class CredentialStore;
class RunSession;

// The session layer of the transfer list: when the queue starts an import it
// preflights a new one's file (its Preflighting state), then gives it a RunSession of its own on the import's RunController
// (credentials from the store, its own run directory, journal and summary,
// the console's one embedded sandbox) and starts it as a new run, or resumes
// the run in its run directory as `headroom-cli resume` would.
class TransferStarter : public QObject
{
    Q_OBJECT
public:
    TransferStarter(transfers::TransferList *list, CredentialStore *credentials, RunSession *sandboxOwner,
                    QObject *parent = nullptr);

    void setRunsDirectory(const QString &directory) { m_runsDirectory = directory; }
    // The session of an import that has been started; null before.
    RunSession *sessionOf(const transfers::Transfer *transfer) const;
    // The session of an import, made on first use (its log is shown before it starts).
    RunSession *sessionFor(transfers::Transfer *transfer);

signals:
    // A start that failed, for the status bar.
    void failed(const QString &file, const QString &error);

private:
    void start(transfers::Transfer *transfer);
    // Counts a new import's rows (and bad rows) before its run starts.
    void preflight(transfers::Transfer *transfer);
    void launch(transfers::Transfer *transfer);

    transfers::TransferList *m_list;
    CredentialStore *m_credentials;
    QPointer<RunSession> m_sandboxOwner;
    QString m_runsDirectory;
    QHash<const transfers::Transfer *, QPointer<RunSession>> m_sessions;
};

} // namespace headroom::ui
