#pragma once

#include "core/run/Dispatcher.h"
#include "core/run/RunController.h"
#include "core/run/RunProgress.h"
#include "core/run/RunSummary.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;

namespace headroom::transfers {
class TransferList;
}

namespace headroom::ui {

class ApiSettingsPanel;
class CredentialStore;
class ImportPanel;
class LiveChartsPanel;
class LogPanel;
class RunHistoryModel;
class RunSession;
class RunsPanel;
class TransferListAutosave;
class TransferListPanel;
class TransferStarter;

// The console's top-level window: the Live charts in the middle (always in
// view while running), the Import, APIs and rates, Log and Runs panels in docks
// around them (layout remembered), the run toolbar and the progress status
// bar. It wires panels to the RunSession and holds no run logic itself.
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
    QProgressBar *progressBar() const { return m_progress; }
    QAction *startAction() const { return m_start; }
    QAction *pauseAction() const { return m_pause; }
    QAction *resumeAction() const { return m_resume; }
    QAction *cancelAction() const { return m_cancel; }
    transfers::TransferList *transferList() const { return m_transfers; }
    TransferListPanel *transferPanel() const { return m_transferPanel; }
    TransferStarter *transferStarter() const { return m_starter; }

    // Adds files to the transfer list, each with the APIs panel's current
    // profile and target (and the Import panel's mapping and preflight for
    // the file it shows).
    void addImports(const QStringList &paths);
    // Writes the transfer list to its file now.
    void saveTransfers() const;

    // One PNG per panel (and the whole window) into `directory`.
    QStringList grabPanels(const QString &directory) const;

public slots:
    void startRun();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QDockWidget *addPanel(QWidget *panel, const QString &title, const QString &objectName, Qt::DockWidgetArea area);
    void createActions();
    void updateActions();
    void showProgress(const run::RunProgress &progress);
    void onFinished(const run::RunSummary &summary);
    void updatePreflightContext();
    void exportCharts();
    void redriveFile(const QString &path, const QString &profile);
    void connectTransfers();
    void chooseImports();
    // Points the charts, the log and the dead letters at the import in `row`
    // of the transfer list, or at the console's own run for -1.
    void followImport(int row);
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
    QPointer<run::RunController> m_followed; // whose samples the charts draw
    QMetaObject::Connection m_followSamples;
    QList<QDockWidget *> m_docks;
    QAction *m_start = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_resume = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_exportCharts = nullptr;
    QProgressBar *m_progress;
    QLabel *m_stateLabel;
    QLabel *m_rates;
    // Rows preflight counted in the file the run reads, until the run has
    // read it all and knows for itself; -1 when no preflight covers it.
    qint64 m_preflightRows = -1;
};

} // namespace headroom::ui
