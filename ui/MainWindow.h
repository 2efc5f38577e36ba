#pragma once

#include "core/run/Dispatcher.h"
#include "core/run/RunController.h"
#include "core/run/RunProgress.h"
#include "core/run/RunSummary.h"
#include "ui/RunActions.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDockWidget;
class QProgressBar;
class QSplitter;

namespace headroom::transfers {
class TransferList;
}

namespace headroom::ui {

class ApiSettingsPanel;
class CredentialStore;
class ImportFollower;
class ImportPanel;
class LiveChartsPanel;
class LogPanel;
class RunHistoryModel;
class RunSession;
class RunsPanel;
class RunStatusBar;
class TransferIntake;
class TransferListAutosave;
class TransferListPanel;
class TransferStarter;

// The console's top-level window: the transfer list in the middle with the
// Live charts of what it selects below it (always in view while running), the
// Import, APIs & rates, Log and Runs panels in docks around them (layout
// remembered), the run toolbar and the progress status bar. It wires panels
// to the RunSession and holds no run logic itself.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct StartupOptions
    {
        bool sandbox = false;  // --sandbox: target the embedded sandbox
        QString file;          // --file: open this import
        QString runsDirectory; // empty: <AppDataLocation>/runs
        QStringList imports;   // files added to the transfer list (command-line arguments)
        QString transfersFile; // the transfer list's file; empty: <AppDataLocation>/transfers.json
    };

    explicit MainWindow(CredentialStore *credentials, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Restores the saved settings (or, on a fresh machine, the embedded
    // sandbox and the bundled sample) and applies the command line on top.
    void applyStartup(const StartupOptions &options);
    void saveSettings() const;

    RunSession *session() const { return m_session; }
    ImportPanel *importPanel() const { return m_import; }
    ApiSettingsPanel *apiPanel() const { return m_apis; }
    LiveChartsPanel *livePanel() const { return m_live; }
    LogPanel *logPanel() const { return m_log; }
    RunsPanel *runsPanel() const { return m_runs; }
    QProgressBar *progressBar() const;
    RunStatusBar *runStatusBar() const { return m_status; }
    ImportFollower *follower() const { return m_follower; }
    QSplitter *centre() const { return m_centre; }
    // The dock of a panel by object name ("apisDock", "logDock", ...).
    QDockWidget *dock(const QString &objectName) const;
    QAction *startAction() const { return m_actions->start(); }
    QAction *pauseAction() const { return m_actions->pause(); }
    QAction *resumeAction() const { return m_actions->resume(); }
    QAction *cancelAction() const { return m_actions->cancel(); }
    transfers::TransferList *transferList() const { return m_transfers; }
    TransferListPanel *transferPanel() const { return m_transferPanel; }
    TransferStarter *transferStarter() const { return m_starter; }

    // Adds files to the transfer list, each with the APIs panel's current
    // profile and target (and the Import panel's mapping and preflight for
    // the file it shows).
    void addImports(const QStringList &paths);
    // Writes the transfer list to its file now.
    void saveTransfers() const;

public slots:
    void startRun();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QDockWidget *addPanel(QWidget *panel, const QString &title, const QString &objectName, Qt::DockWidgetArea area);
    // The constructor's steps.
    void createCentre();
    void createDocks();
    void createMenus();
    void connectSession();
    void connectPanels();
    void updateActions();
    // Tells the Runs panel which run directories this console is running.
    void updateActiveRuns();
    void onFinished(const run::RunSummary &summary);
    void updatePreflightContext();
    void exportCharts();
    void redriveFile(const QString &path, const QString &profile);
    void connectTransfers();
    void chooseImports();
    void restoreTransfers(const StartupOptions &options);

    RunSession *m_session;
    RunHistoryModel *m_history;
    LiveChartsPanel *m_live;
    ImportPanel *m_import;
    ApiSettingsPanel *m_apis;
    LogPanel *m_log;
    RunsPanel *m_runs;
    transfers::TransferList *m_transfers;
    TransferStarter *m_starter;
    TransferListPanel *m_transferPanel;
    TransferListAutosave *m_autosave;
    ImportFollower *m_follower;
    QSplitter *m_centre;
    RunStatusBar *m_status;
    QList<QDockWidget *> m_docks;
    RunActions *m_actions;
    TransferIntake *m_intake;
    QStringList m_activeRuns; // sorted
};

} // namespace headroom::ui
