#include "ui/MainWindow.h"

#include "ui/BundledSample.h"
#include "ui/ConsoleSettings.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/imports/ImportPanel.h"
#include "ui/live/LiveChartsPanel.h"
#include "ui/log/DeadLetterModel.h"
#include "ui/log/LogPanel.h"
#include "ui/runs/RunHistoryModel.h"
#include "ui/runs/RunsPanel.h"
#include "ui/session/RunSession.h"
#include "ui/transfers/TransferListAutosave.h"
#include "ui/transfers/TransferListPanel.h"
#include "ui/transfers/TransferStarter.h"
#include "ui/UiLogging.h"

#include "core/transfers/TransferList.h"

#include "core/run/RunController.h"

#include "core/clock/DurationText.h"

#include <QAction>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QStandardPaths>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QSpinBox>
#include <QStatusBar>
#include <QStyle>
#include <QFileInfo>
#include <QToolBar>

#include <algorithm>
#include <chrono>

namespace headroom::ui {

namespace {

QString stateName(run::Dispatcher::State state)
{
    switch (state) {
    case run::Dispatcher::State::Idle: return MainWindow::tr("Idle");
    case run::Dispatcher::State::Running: return MainWindow::tr("Running");
    case run::Dispatcher::State::Paused: return MainWindow::tr("Paused");
    case run::Dispatcher::State::Draining: return MainWindow::tr("Draining");
    case run::Dispatcher::State::Finished: return MainWindow::tr("Finished");
    }
    return {};
}

QString eta(double seconds)
{
    if (seconds < 0)
        return MainWindow::tr("unknown");
    if (seconds < 60)
        return MainWindow::tr("%1 s").arg(qint64(seconds));
    if (seconds < 3600)
        return MainWindow::tr("%1 min %2 s").arg(qint64(seconds) / 60).arg(qint64(seconds) % 60);
    return MainWindow::tr("%1 h %2 min").arg(qint64(seconds) / 3600).arg((qint64(seconds) % 3600) / 60);
}

} // namespace

MainWindow::MainWindow(CredentialStore *credentials, QWidget *parent)
    : QMainWindow(parent)
    , m_session(new RunSession(credentials, this))
    , m_history(new RunHistoryModel(this))
    , m_live(new LiveChartsPanel(this))
    , m_import(new ImportPanel(this))
    , m_apis(new ApiSettingsPanel(credentials, this))
    , m_log(new LogPanel(m_session->log(), m_session->deadLetters(), this))
    , m_runs(new RunsPanel(m_history, this))
    , m_transfers(new transfers::TransferList(this))
    , m_starter(new TransferStarter(m_transfers, credentials, m_session, this))
    , m_transferPanel(new TransferListPanel(m_transfers, this))
    , m_autosave(new TransferListAutosave(m_transfers, this))
    , m_progress(new QProgressBar(this))
    , m_stateLabel(new QLabel(this))
    , m_rates(new QLabel(this))
{
    setWindowTitle(tr("Headroom"));
    setDockNestingEnabled(true);
    setCentralWidget(m_live);

    auto *apisScroll = new QScrollArea(this);
    apisScroll->setWidget(m_apis);
    apisScroll->setWidgetResizable(true);
    addPanel(m_import, tr("Import"), QStringLiteral("importDock"), Qt::LeftDockWidgetArea);
    addPanel(apisScroll, tr("APIs and rates"), QStringLiteral("apisDock"), Qt::LeftDockWidgetArea);
    addPanel(m_log, tr("Log"), QStringLiteral("logDock"), Qt::BottomDockWidgetArea);
    addPanel(m_runs, tr("Runs"), QStringLiteral("runsDock"), Qt::BottomDockWidgetArea);
    addPanel(m_transferPanel, tr("Transfers"), QStringLiteral("transfersDock"), Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_docks.at(0), m_docks.at(1));
    tabifyDockWidget(m_docks.at(2), m_docks.at(3));
    tabifyDockWidget(m_docks.at(2), m_docks.at(4));
    setAcceptDrops(true);
    m_docks.at(0)->raise();
    m_docks.at(2)->raise();
    resizeDocks({m_docks.at(0)}, {520}, Qt::Horizontal);
    resizeDocks({m_docks.at(2)}, {260}, Qt::Vertical);

    createActions();

    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%p %"));
    m_progress->setMinimumWidth(220);
    m_progress->setAccessibleName(tr("Run progress"));
    statusBar()->addWidget(m_stateLabel);
    statusBar()->addWidget(m_progress);
    statusBar()->addWidget(m_rates, 1);
    m_stateLabel->setText(stateName(run::Dispatcher::State::Idle));

    run::RunController *engine = m_session->controller();
    connect(engine, &run::RunController::progressed, this, &MainWindow::showProgress);
    connect(engine, &run::RunController::stateChanged, this, [this](run::Dispatcher::State state) {
        m_stateLabel->setText(stateName(state));
        updateActions();
    });
    connect(m_session, &RunSession::started, this, [this] {
        m_live->clear();
        m_progress->setValue(0);
        m_history->reload();
        updateActions();
    });
    connect(m_session, &RunSession::failedToStart, this, [this](const QString &error) {
        updateActions();
        statusBar()->showMessage(tr("Cannot start: %1").arg(error), 10000);
        if (isVisible())
            QMessageBox::warning(this, tr("Cannot start the run"), error);
    });
    connect(engine, &run::RunController::finished, this, &MainWindow::onFinished);

    connect(m_apis, &ApiSettingsPanel::settingsChanged, this, &MainWindow::updatePreflightContext);
    connect(m_apis, &ApiSettingsPanel::laneLimitChanged, this, [this](int limit, qint64 windowMs) {
        run::RunController *engine = m_session->controller();
        for (int lane = 0; lane < std::max<qsizetype>(1, engine->lastSnapshots().size()); ++lane)
            engine->setLaneLimit(lane, limit, windowMs);
    });
    connect(m_apis, &ApiSettingsPanel::laneConcurrencyChanged, this, [this](int concurrency) {
        run::RunController *engine = m_session->controller();
        for (int lane = 0; lane < std::max<qsizetype>(1, engine->lastSnapshots().size()); ++lane)
            engine->setLaneConcurrency(lane, concurrency);
    });
    connect(m_log, &LogPanel::redriveRequested, this, [this] {
        m_preflightRows = -1;
        m_session->redriveDeadLetters();
        updateActions();
    });
    connect(m_log, &LogPanel::redriveFileRequested, this, &MainWindow::redriveFile);
    connect(m_runs, &RunsPanel::resumeRequested, this, [this](const QString &directory) {
        statusBar()->clearMessage();
        m_preflightRows = -1;
        m_session->resumeRun(directory);
        updateActions();
    });
    connect(m_session, &RunSession::warned, this, [this](const QString &message) {
        statusBar()->showMessage(message, 15000);
    });
    connect(m_session, &RunSession::changesCounted, this, [this](const QString &text) {
        statusBar()->showMessage(text, 30000);
    });
    connect(m_session->deadLetters(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateActions);
    connect(m_import, &ImportPanel::fileChanged, this, [this] { updateActions(); });

    connectTransfers();
    updatePreflightContext();
    updateActions();
    resize(1400, 900);
}

MainWindow::~MainWindow()
{
    // The imports' runs end with the window: saved as they stand, they come
    // back stopped, to be resumed.
    saveTransfers();
}

QDockWidget *MainWindow::addPanel(QWidget *panel, const QString &title, const QString &objectName, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName); // saveState() keys the layout by object name
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::createActions()
{
    m_start = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), this);
    m_start->setShortcut(Qt::Key_F5);
    m_start->setToolTip(tr("Start the import (F5)"));
    m_pause = new QAction(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
    m_pause->setShortcut(Qt::Key_F6);
    m_pause->setToolTip(tr("Stop sending; requests in flight finish (F6)"));
    m_resume = new QAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("&Resume"), this);
    m_resume->setShortcut(Qt::Key_F7);
    m_resume->setToolTip(tr("Resume sending (F7)"));
    m_cancel = new QAction(style()->standardIcon(QStyle::SP_MediaStop), tr("&Cancel"), this);
    m_cancel->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_cancel->setToolTip(tr("Abort the run; rows not sent stay for a resume (Shift+F5)"));
    m_exportCharts = new QAction(tr("Export &charts as PNG…"), this);
    m_exportCharts->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));

    connect(m_start, &QAction::triggered, this, &MainWindow::startRun);
    run::RunController *engine = m_session->controller();
    connect(m_pause, &QAction::triggered, engine, &run::RunController::pause);
    connect(m_resume, &QAction::triggered, engine, &run::RunController::resume);
    connect(m_cancel, &QAction::triggered, this, [this] {
        m_session->abandonStart();
        m_session->controller()->cancel();
        updateActions();
    });
    connect(m_exportCharts, &QAction::triggered, this, &MainWindow::exportCharts);

    auto *toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("runToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_start, m_pause, m_resume, m_cancel});
    toolbar->addSeparator();
    toolbar->addAction(m_exportCharts);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open import file…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open import file"), QString(),
                                                          tr("Import files (*.csv *.jsonl *.ndjson *.json);;All files (*)"));
        if (!path.isEmpty())
            m_import->loadFile(path);
    });
    file->addAction(tr("&Add imports to the list…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                    &MainWindow::chooseImports);
    file->addAction(tr("Open &dead letters of a run…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), this, [this] {
        m_docks.at(2)->show(); // the Log dock
        m_docks.at(2)->raise();
        m_log->chooseDeadLetterFile();
    });
    file->addAction(m_exportCharts);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addActions({m_start, m_pause, m_resume, m_cancel});
    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : std::as_const(m_docks))
        view->addAction(dock->toggleViewAction());
}

void MainWindow::updateActions()
{
    const bool running = m_session->isRunning();
    const bool starting = m_session->isStarting();
    const auto state = m_session->controller()->state();
    m_start->setEnabled(!running && !starting && !m_import->file().isEmpty());
    m_pause->setEnabled(running && state == run::Dispatcher::State::Running);
    m_resume->setEnabled(running && state == run::Dispatcher::State::Paused);
    m_cancel->setEnabled(running || starting);
    m_apis->setRunning(running || starting);
    m_log->setRedriveEnabled(!running && !starting);
    m_runs->setRunActive(running || starting);
}

void MainWindow::updatePreflightContext()
{
    const run::RunSettings s = m_apis->settings();
    const double windowS = s.window ? std::chrono::duration<double>(*s.window).count() : 1.0;
    m_import->setRunContext(s.profile, s.rate.value_or(100), windowS);
}

void MainWindow::startRun()
{
    run::RunSettings settings = m_apis->settings();
    settings.file = m_import->file();
    settings.changeMode = m_import->changedOnly() ? state::ChangeMode::ChangedOnly : state::ChangeMode::All;
    const imports::PreflightReport &report = m_import->lastReport();
    m_preflightRows = report.file == settings.file && report.rows > 0 ? report.rows : -1;
    statusBar()->clearMessage();
    m_session->start(settings, m_import->mapping());
    updateActions();
}

void MainWindow::redriveFile(const QString &path, const QString &profile)
{
    // A dead-letter file is itself an import: the session turns it into the
    // requests it names and sends them through the lane of the profile they
    // came from, as `headroom-cli run --file` does, with that profile's
    // settings from the APIs and rates panel.
    run::RunSettings settings = m_apis->settings();
    if (!profile.isEmpty() && profile != settings.profile) {
        const bool sandbox = settings.sandbox;
        settings = run::RunSettings();
        settings.profile = profile;
        settings.sandbox = sandbox;
        for (const run::RunSettings &s : m_apis->allProfiles()) {
            if (s.profile == profile)
                settings = s;
        }
    }
    settings.file = path;
    settings.mappingFile.clear();
    settings.format.clear();
    settings.batch = false; // re-sent request by request
    m_preflightRows = -1;
    statusBar()->clearMessage();
    m_session->start(settings);
    updateActions();
}

void MainWindow::showProgress(const run::RunProgress &p)
{
    const qint64 settled = p.rowsDone + p.rowsFailed;
    const qint64 totalRows = p.totalRows >= 0 ? p.totalRows : m_preflightRows;
    double fraction = p.fileFraction;
    if (totalRows > 0)
        fraction = double(settled) / double(totalRows);
    else if (p.rowsRead > 0)
        fraction = p.fileFraction * double(settled) / double(p.rowsRead);
    m_progress->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    const QString total = totalRows >= 0 ? QString::number(totalRows) : tr("?");
    m_rates->setText(tr("%1 / %2 rows · %3 rows/s · ETA %4 · %5 429s · %6 retries · %7 failed")
                         .arg(settled)
                         .arg(total)
                         .arg(p.rowsPerS, 0, 'f', 1)
                         .arg(eta(p.etaS()))
                         .arg(p.responses429)
                         .arg(p.retries)
                         .arg(p.rowsFailed));
}

void MainWindow::onFinished(const run::RunSummary &summary)
{
    if (summary.ending == run::RunSummary::Ending::Completed)
        m_progress->setValue(m_progress->maximum());
    m_stateLabel->setText(stateName(run::Dispatcher::State::Finished));
    m_rates->setText(tr("%1: %2 of %3 rows done, %4 failed, %5 not attempted · %11 · %6 requests · %7 429s · "
                        "%8 retries · %9 s · %10 rows/s")
                         .arg(run::RunSummary::endingName(summary.ending))
                         .arg(summary.rowsDone)
                         .arg(summary.rowsTotal)
                         .arg(summary.rowsFailed)
                         .arg(summary.rowsNotAttempted)
                         .arg(summary.requests)
                         .arg(summary.responses429)
                         .arg(summary.retries)
                         .arg(summary.elapsedS, 0, 'f', 1)
                         .arg(summary.rowsPerS(), 0, 'f', 1)
                         .arg(summary.outcomeText()));
    if (summary.ending == run::RunSummary::Ending::Failed)
        statusBar()->showMessage(summary.error, 15000);
    else if (summary.ending == run::RunSummary::Ending::GaveUp)
        statusBar()->showMessage(tr("Gave up: %1. Resume the run from the Runs panel.").arg(summary.stopped), 15000);
    m_live->refresh();
    m_history->reload();
    updateActions();
}

void MainWindow::exportCharts()
{
    const QString directory = QFileDialog::getExistingDirectory(this, tr("Export charts to"));
    if (directory.isEmpty())
        return;
    QString error;
    const QStringList written = m_live->exportPng(directory, &error);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("%n chart(s) written to %1", nullptr, int(written.size())).arg(directory), 5000);
}

void MainWindow::applyStartup(const StartupOptions &options)
{
    m_session->setRunsDirectory(options.runsDirectory.isEmpty() ? m_session->runsDirectory() : options.runsDirectory);
    m_history->setDirectory(m_session->runsDirectory());
    restoreTransfers(options);

    const std::optional<ConsoleSettings::Values> saved = ConsoleSettings::load();
    QString file = options.file;
    if (saved) {
        restoreGeometry(saved->geometry);
        restoreState(saved->windowState);
        m_apis->setAllProfiles(saved->profiles);
        for (const run::RunSettings &s : saved->profiles) {
            if (s.profile == saved->currentProfile)
                m_apis->setSettings(s);
        }
        if (file.isEmpty())
            file = saved->file;
    }
    if (!saved || options.sandbox) {
        // A fresh machine (or --sandbox): rehearse against the embedded sandbox.
        run::RunSettings s = m_apis->settings();
        s.sandbox = true;
        s.baseUrl.clear();
        s.region.clear();
        m_apis->setSettings(s);
    }
    if (file.isEmpty() || !QFileInfo::exists(file))
        file = BundledSample::path();
    if (!file.isEmpty()) {
        m_import->loadFile(file);
        if (saved && saved->mapping && options.file.isEmpty())
            m_import->setMapping(saved->mapping);
        updatePreflightContext();
        m_import->runPreflight();
    }
    updateActions();
}

void MainWindow::saveSettings() const
{
    ConsoleSettings::Values v;
    v.geometry = saveGeometry();
    v.windowState = saveState();
    v.file = m_import->file();
    v.mapping = m_import->mapping();
    v.currentProfile = m_apis->settings().profile;
    v.profiles = m_apis->allProfiles();
    ConsoleSettings::save(v);
}

void MainWindow::connectTransfers()
{
    connect(m_transferPanel, &TransferListPanel::addRequested, this, &MainWindow::chooseImports);
    connect(m_transferPanel, &TransferListPanel::currentChanged, this, &MainWindow::followImport);
    connect(m_transfers, &transfers::TransferList::aboutToRemove, this, [this](int index) {
        // Its session and models go with it.
        const RunSession *session = m_starter->sessionOf(m_transfers->at(index));
        if (session && session->log() == m_log->logModel())
            followImport(-1);
    });
    followImport(-1);
    connect(m_starter, &TransferStarter::failed, this, [this](const QString &file, const QString &error) {
        statusBar()->showMessage(tr("Cannot start %1: %2").arg(QFileInfo(file).fileName(), error), 15000);
    });
}

void MainWindow::followImport(int row)
{
    run::RunController *engine = m_session->controller();
    RunSession *session = m_session;
    if (row >= 0 && row < m_transfers->count()) {
        session = m_starter->sessionFor(m_transfers->at(row));
        engine = session->controller();
    }
    m_log->setModels(session->log(), session->deadLetters());
    if (engine == m_followed)
        return;
    disconnect(m_followSamples);
    m_followed = engine;
    m_live->clear();
    m_followSamples = connect(engine, &run::RunController::sampled, m_live, &LiveChartsPanel::addSnapshots);
}

void MainWindow::chooseImports()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Add imports to the list"), QString(), tr("Import files (*.csv *.jsonl *.ndjson *.json);;All files (*)"));
    addImports(paths);
}

void MainWindow::addImports(const QStringList &paths)
{
    const run::RunSettings current = m_apis->settings();
    const imports::PreflightReport &report = m_import->lastReport();
    for (const QString &path : paths) {
        transfers::TransferEntry entry;
        entry.settings = current;
        entry.settings.file = QFileInfo(path).absoluteFilePath();
        if (entry.settings.file == QFileInfo(m_import->file()).absoluteFilePath()) {
            if (const std::optional<imports::Mapping> mapping = m_import->mapping())
                entry.mapping = mapping->toJson();
            if (report.file == m_import->file() && report.rows > 0) {
                entry.preflightRows = report.rows;
                entry.preflightBadRows = report.badRows;
            }
        }
        m_transfers->add(entry);
    }
    if (!paths.isEmpty()) {
        m_docks.at(4)->show();
        m_docks.at(4)->raise();
    }
}

void MainWindow::saveTransfers() const
{
    m_autosave->save();
}

void MainWindow::restoreTransfers(const StartupOptions &options)
{
    const QString path = options.transfersFile.isEmpty()
                             ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                   .filePath(QStringLiteral("transfers.json"))
                             : options.transfersFile;
    m_starter->setRunsDirectory(m_session->runsDirectory());
    QString error;
    QStringList warnings;
    if (!m_autosave->load(path, &error, &warnings))
        statusBar()->showMessage(tr("The transfer list cannot be read: %1").arg(error), 15000);
    for (const QString &warning : std::as_const(warnings))
        qCWarning(lcUi) << warning;
    m_transferPanel->maxActiveBox()->setValue(m_transfers->maxActive());
    addImports(options.imports);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && std::all_of(urls.begin(), urls.end(), [](const QUrl &url) { return url.isLocalFile(); }))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            paths << url.toLocalFile();
    }
    addImports(paths);
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    saveTransfers();
    m_session->abandonStart();
    m_session->controller()->cancel();
    event->accept();
}

QStringList MainWindow::grabPanels(const QString &directory) const
{
    QStringList written;
    if (!QDir().mkpath(directory))
        return written;
    auto save = [&](QWidget *widget, const QString &name) {
        const QString path = QDir(directory).filePath(name + QStringLiteral(".png"));
        if (widget->grab().save(path, "PNG"))
            written << path;
    };
    save(const_cast<MainWindow *>(this), QStringLiteral("window"));
    save(m_live, QStringLiteral("live"));
    for (QDockWidget *dock : m_docks) {
        // A tabbed-away dock is hidden; grab its widget at the dock's size.
        QWidget *panel = dock->widget();
        if (!panel->isVisible()) {
            dock->raise();
            QCoreApplication::processEvents();
        }
        save(panel, dock->objectName().remove(QStringLiteral("Dock")));
    }
    // Below the APIs panel's scroll fold: the profile's rate scopes.
    save(m_apis->scopesBox(), QStringLiteral("apis-scopes"));
    return written;
}

} // namespace headroom::ui
