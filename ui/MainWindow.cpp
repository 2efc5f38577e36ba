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
#include "ui/PanelDock.h"
#include "ui/RunActions.h"
#include "ui/RunStatusBar.h"
#include "ui/transfers/ImportFollower.h"
#include "ui/transfers/TransferIntake.h"
#include "ui/transfers/TransferListAutosave.h"
#include "ui/transfers/TransferListPanel.h"
#include "ui/transfers/TransferStarter.h"
#include "ui/UiLogging.h"

#include "core/transfers/TransferList.h"

#include "core/run/RunController.h"

#include <QAction>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>
#include <QSpinBox>
#include <QStatusBar>
#include <QFileInfo>

#include <algorithm>
#include <chrono>

namespace headroom::ui {

namespace {

// The docks' arrangement this window lays out: a state saved for another
// arrangement (the Log under the charts, a Transfers dock) is not restored
// over it, so the charts keep their height beside the transfer list.
constexpr int kLayoutVersion = 2;

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
    , m_follower(new ImportFollower(m_transfers, m_starter, m_session, m_live, m_log, this))
    , m_centre(new QSplitter(Qt::Vertical, this))
    , m_status(new RunStatusBar(this))
    , m_actions(new RunActions(this))
    , m_intake(new TransferIntake(m_transfers, m_apis, m_import, this))
{
    setWindowTitle(tr("Headroom"));
    setDockNestingEnabled(true);
    createCentre();
    createDocks();
    createMenus();
    connectSession();
    connectPanels();
    connectTransfers();
    updatePreflightContext();
    updateActions();
    resize(1400, 900);
}

// The transfer list on top and the charts of what it selects below, as a
// download manager shows its list over the selected download's details.
void MainWindow::createCentre()
{
    m_centre->setObjectName(QStringLiteral("centre"));
    m_centre->addWidget(m_transferPanel);
    auto *charts = new QWidget(this);
    auto *chartsLayout = new QVBoxLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->setSpacing(2);
    auto *caption = new QLabel(charts);
    caption->setObjectName(QStringLiteral("chartsCaption"));
    caption->setContentsMargins(6, 2, 6, 0);
    connect(m_follower, &ImportFollower::followed, caption, &QLabel::setText);
    chartsLayout->addWidget(caption);
    chartsLayout->addWidget(m_live, 1);
    m_centre->addWidget(charts);
    m_centre->setStretchFactor(1, 1);
    m_centre->setChildrenCollapsible(false);
    m_centre->setSizes({150, 600});
    setCentralWidget(m_centre);
    setStatusBar(m_status);
    setAcceptDrops(true);
}

void MainWindow::createDocks()
{
    auto *apisScroll = new QScrollArea(this);
    apisScroll->setWidget(m_apis);
    apisScroll->setWidgetResizable(true);
    addPanel(m_import, tr("Import"), QStringLiteral("importDock"), Qt::LeftDockWidgetArea);
    // Mnemonic text, as the tab and the View menu read it (PanelDock).
    addPanel(apisScroll, tr("APIs && rates"), QStringLiteral("apisDock"), Qt::LeftDockWidgetArea);
    // Beside the list and its charts, which take the window's whole height
    // (all seven charts in view at the default size), one panel at a time.
    addPanel(m_log, tr("Log"), QStringLiteral("logDock"), Qt::LeftDockWidgetArea);
    addPanel(m_runs, tr("Runs"), QStringLiteral("runsDock"), Qt::LeftDockWidgetArea);
    tabifyDockWidget(m_docks.at(0), m_docks.at(1));
    tabifyDockWidget(m_docks.at(1), m_docks.at(2));
    tabifyDockWidget(m_docks.at(2), m_docks.at(3));
    m_docks.at(0)->raise();
    resizeDocks({m_docks.at(0)}, {520}, Qt::Horizontal);
}

// The console's own run: the Run actions, the status bar, the history.
void MainWindow::connectSession()
{
    run::RunController *engine = m_session->controller();
    connect(m_actions->start(), &QAction::triggered, this, &MainWindow::startRun);
    connect(m_actions->pause(), &QAction::triggered, engine, &run::RunController::pause);
    connect(m_actions->resume(), &QAction::triggered, engine, &run::RunController::resume);
    connect(m_actions->cancel(), &QAction::triggered, this, [this] {
        m_session->abandonStart();
        m_session->controller()->cancel();
        updateActions();
    });
    connect(m_actions->exportCharts(), &QAction::triggered, this, &MainWindow::exportCharts);
    connect(engine, &run::RunController::progressed, m_status, &RunStatusBar::showProgress);
    connect(engine, &run::RunController::stateChanged, this, [this](run::Dispatcher::State state) {
        m_status->showState(state);
        updateActions();
    });
    connect(m_session, &RunSession::started, this, [this] {
        if (m_follower->followedSession() == m_session && !m_follower->followsAll())
            m_live->clear();
        m_status->showStarted();
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
    connect(m_session, &RunSession::warned, this, [this](const QString &message) {
        statusBar()->showMessage(message, 15000);
    });
    connect(m_session, &RunSession::changesCounted, this, [this](const QString &text) {
        statusBar()->showMessage(text, 30000);
    });
    connect(m_session->deadLetters(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateActions);
}

// Intents of the panels around the run.
void MainWindow::connectPanels()
{
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
        m_status->setPreflightRows(-1);
        m_session->redriveDeadLetters();
        updateActions();
    });
    connect(m_log, &LogPanel::redriveFileRequested, this, &MainWindow::redriveFile);
    connect(m_runs, &RunsPanel::resumeRequested, this, [this](const QString &directory) {
        statusBar()->clearMessage();
        m_status->setPreflightRows(-1);
        m_session->resumeRun(directory);
        updateActions();
    });
    connect(m_import, &ImportPanel::fileChanged, this, [this] { updateActions(); });
}

MainWindow::~MainWindow()
{
    // The imports' runs end with the window: saved as they stand, they come
    // back stopped, to be resumed.
    saveTransfers();
}

QProgressBar *MainWindow::progressBar() const
{
    return m_status->progressBar();
}

QDockWidget *MainWindow::dock(const QString &objectName) const
{
    for (QDockWidget *dock : m_docks) {
        if (dock->objectName() == objectName)
            return dock;
    }
    return nullptr;
}

QDockWidget *MainWindow::addPanel(QWidget *panel, const QString &title, const QString &objectName, Qt::DockWidgetArea area)
{
    auto *dock = new PanelDock(title, this);
    dock->setObjectName(objectName); // saveState() keys the layout by object name
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::createMenus()
{
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
    file->addAction(m_actions->exportCharts());
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addActions(m_actions->runActions());
    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : std::as_const(m_docks))
        view->addAction(dock->toggleViewAction());
}

void MainWindow::updateActiveRuns()
{
    QStringList active;
    if ((m_session->isRunning() || m_session->isStarting()) && !m_session->currentRunDirectory().isEmpty())
        active << m_session->currentRunDirectory();
    for (int i = 0; i < m_transfers->count(); ++i) {
        const transfers::Transfer *t = m_transfers->at(i);
        if (transfers::holdsPlace(t->state()) && !t->entry().runDirectory.isEmpty())
            active << t->entry().runDirectory;
    }
    active.sort();
    if (active == m_activeRuns)
        return;
    // A run that started since has a directory the list has not read yet.
    if (!std::all_of(active.cbegin(), active.cend(), [this](const QString &d) { return m_activeRuns.contains(d); }))
        m_history->reload();
    m_activeRuns = active;
    m_history->setActiveDirectories(active);
}

void MainWindow::updateActions()
{
    const bool running = m_session->isRunning();
    const bool starting = m_session->isStarting();
    const auto state = m_session->controller()->state();
    m_actions->update(running, starting, state, !m_import->file().isEmpty());
    m_apis->setRunning(running || starting);
    m_log->setRedriveEnabled(!running && !starting);
    updateActiveRuns();
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
    m_status->setPreflightRows(report.file == settings.file && report.rows > 0 ? report.rows : -1);
    statusBar()->clearMessage();
    m_session->start(settings, m_import->mapping());
    updateActions();
}

void MainWindow::redriveFile(const QString &path, const QString &profile)
{
    // A dead-letter file is itself an import: the session turns it into the
    // requests it names and sends them through the lane of the profile they
    // came from, as `headroom-cli run --file` does, with that profile's
    // settings from the APIs & rates panel.
    run::RunSettings settings = m_apis->settingsOf(profile);
    settings.file = path;
    settings.mappingFile.clear();
    settings.format.clear();
    settings.batch = false; // re-sent request by request
    m_status->setPreflightRows(-1);
    statusBar()->clearMessage();
    m_session->start(settings);
    updateActions();
}

void MainWindow::onFinished(const run::RunSummary &summary)
{
    m_status->showFinished(summary);
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
        restoreState(saved->windowState, kLayoutVersion);
        m_centre->restoreState(saved->centreState);
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
    v.windowState = saveState(kLayoutVersion);
    v.centreState = m_centre->saveState();
    v.file = m_import->file();
    v.mapping = m_import->mapping();
    v.currentProfile = m_apis->settings().profile;
    v.profiles = m_apis->allProfiles();
    ConsoleSettings::save(v);
}

void MainWindow::connectTransfers()
{
    connect(m_transferPanel, &TransferListPanel::addRequested, this, &MainWindow::chooseImports);
    connect(m_transfers, &transfers::TransferList::transferChanged, this, &MainWindow::updateActiveRuns);
    connect(m_transferPanel, &TransferListPanel::currentChanged, m_follower, &ImportFollower::follow);
    m_follower->follow(-1);
    connect(m_starter, &TransferStarter::failed, this, [this](const QString &file, const QString &error) {
        statusBar()->showMessage(tr("Cannot start %1: %2").arg(QFileInfo(file).fileName(), error), 15000);
    });
}

void MainWindow::chooseImports()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Add imports to the list"), QString(), tr("Import files (*.csv *.jsonl *.ndjson *.json);;All files (*)"));
    addImports(paths);
}

void MainWindow::addImports(const QStringList &paths)
{
    m_intake->add(paths);
}

void MainWindow::saveTransfers() const
{
    m_autosave->save();
}

void MainWindow::restoreTransfers(const StartupOptions &options)
{
    const QString path = options.transfersFile.isEmpty() ? TransferListAutosave::defaultPath() : options.transfersFile;
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
    if (TransferIntake::acceptsDrop(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    m_intake->add(TransferIntake::filesIn(event->mimeData()));
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

} // namespace headroom::ui
