#include "ui/session/RunSession.h"

#include "core/run/ResumeTarget.h"
#include "core/run/RunDirectory.h"

#include "ui/UiLogging.h"
#include "core/apis/ApiProfile.h"
#include "ui/apis/CredentialStore.h"
#include "core/clock/SteadyClock.h"
#include "ui/log/DeadLetterModel.h"
#include "ui/log/RunLogModel.h"
#include "core/run/RunController.h"
#include "core/run/RunPlan.h"
#include "core/run/ChangePreview.h"
#include "core/run/RunRecorder.h"
#include "core/run/ScopeLaneConfig.h"
#include "core/sandbox/SandboxThread.h"
#include "ui/session/AttemptBuffer.h"

#include <QDir>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace headroom::ui {

// A run prepared (directory, writers, plan) and not yet started: a change
// mode's count comes between.
struct RunSession::PreparedRun
{
    std::unique_ptr<run::RunRecorder> recorder;
    run::RunPlan plan;
    std::function<bool(qint64)> skip; // the count's and the run's alike
    bool resuming = false;
};

// What counting a change mode's rows off the GUI thread brings back.
struct RunSession::CountedChanges
{
    std::optional<run::ChangePreview> preview;
    QString error;
};

RunSession::RunSession(CredentialStore *credentials, QObject *parent, run::RunController *controller)
    : QObject(parent)
    , m_credentials(credentials)
    , m_controller(controller ? controller : new run::RunController(this))
    , m_buffer(std::make_unique<AttemptBuffer>())
    , m_log(new RunLogModel(this))
    , m_deadLetters(new DeadLetterModel(this))
    , m_runsDirectory(run::RunDirectory::defaultRoot())
{
    qRegisterMetaType<QList<metrics::LaneSnapshot>>();
    qRegisterMetaType<run::RunProgress>();
    qRegisterMetaType<run::RunSummary>();
    qRegisterMetaType<run::Dispatcher::State>();

    // 10 Hz: the GUI's share of the engine's output, in one swap per tick.
    m_flushTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &RunSession::flushBuffer);

    m_controller->setFinisher([this](const run::RunSummary &summary) { return record(summary); });
}

RunSession::~RunSession()
{
    // The controller cancels and joins the engine thread before the observers go.
    // An import's controller goes before its session (it was made first), so
    // the engine has stopped using the recorder by now either way.
    if (m_controller && m_controller->parent() == this)
        delete m_controller.data();
    else if (m_controller)
        m_controller->setFinisher({});
    m_recorder.reset(); // closes the journal and run log durably
}

bool RunSession::isRunning() const
{
    return m_controller && m_controller->isRunning();
}

QStringList RunSession::credentialVariables(const QString &profile)
{
    const apis::ApiProfile *p = apis::ApiProfile::find(profile);
    return p ? p->credentialVariables() : QStringList();
}

QString RunSession::credentialKey(const QString &profile, const QString &variable)
{
    return profile + QLatin1Char('/') + variable;
}

quint16 RunSession::ensureSandbox(QString *error)
{
    if (m_sandboxOwner)
        return m_sandboxOwner->ensureSandbox(error);
    if (!m_sandbox)
        m_sandbox = std::make_unique<sandbox::SandboxThread>();
    if (m_sandbox->isRunning())
        return m_sandbox->port();
    QString why;
    const quint16 port = m_sandbox->start(sandbox::SandboxConfig(), 0, &why);
    if (!port) {
        qCWarning(lcUi) << "embedded sandbox did not start:" << why;
        if (error)
            *error = why;
    }
    return port;
}

void RunSession::start(const run::RunSettings &settings, const std::optional<imports::Mapping> &mapping)
{
    if (isRunning() || m_starting) {
        emit failedToStart(tr("A run is already in progress."));
        return;
    }
    m_settings = settings;
    m_mapping = mapping;
    m_onlyRows.reset();
    m_resumed.reset();
    readCredentials(settings.profile, settings.sandbox);
}

void RunSession::resumeRun(const QString &runDirectory)
{
    if (isRunning() || m_starting) {
        emit failedToStart(tr("A run is already in progress."));
        return;
    }
    // Read now (once: the journal may be long), so a directory that cannot be
    // resumed is refused before the keychain is asked for anything.
    auto recorder = std::make_unique<run::RunRecorder>(runDirectory);
    QString error;
    if (!recorder->loadForResume(&error)) {
        emit failedToStart(tr("Cannot resume %1: %2").arg(runDirectory, error));
        return;
    }
    // run.json may have been edited; the console cannot ask for the address
    // again, so only the profile's own base URL or a sandbox (its own one
    // included, which a CLI run may have used) resume here.
    QString refusal = run::ResumeTarget::refusal(recorder->settings(), std::nullopt);
    sandbox::SandboxThread *embedded = sandbox();
    if (!refusal.isEmpty() && embedded && embedded->isRunning()
        && run::ResumeTarget::refusal(recorder->settings(), embedded->baseUrl(recorder->settings().profile)).isEmpty())
        refusal.clear();
    if (!refusal.isEmpty()) {
        emit failedToStart(tr("Cannot resume %1: %2 (headroom-cli resume can)").arg(runDirectory, refusal));
        return;
    }
    m_settings = recorder->settings();
    m_mapping.reset();
    m_onlyRows.reset();
    m_resumed = std::move(recorder);
    readCredentials(m_settings.profile, m_settings.sandbox);
}

void RunSession::readCredentials(const QString &profile, bool sandbox)
{
    m_starting = true;
    const int generation = ++m_generation;
    QStringList variables = sandbox ? QStringList() : credentialVariables(profile);
    if (!m_settings.sharedBudget.isEmpty())
        variables << redisPasswordVariable(); // the sandbox may share a budget too
    if (variables.isEmpty()) {
        launch(QProcessEnvironment());
        return;
    }
    // Keychain reads are asynchronous: launch once every one has answered.
    struct Pending
    {
        QProcessEnvironment env;
        int left = 0;
        QString error;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = int(variables.size());
    for (const QString &variable : variables) {
        m_credentials->read(credentialKey(profile, variable),
                            [self = QPointer<RunSession>(this), pending, variable, variables, generation](const QString &value,
                                                                                                          const QString &error) {
                                if (!value.isEmpty())
                                    pending->env.insert(variable, value);
                                if (!error.isEmpty())
                                    pending->error = error;
                                if (--pending->left > 0 || !self || generation != self->m_generation)
                                    return;
                                if (!pending->error.isEmpty())
                                    self->fail(tr("Cannot read the credentials from the keychain: %1. Without a "
                                                  "keychain, type %2 in APIs & rates and keep them for this "
                                                  "session only, or start the console from a terminal with them "
                                                  "set in the environment, as for headroom-cli.")
                                                   .arg(pending->error, variables.join(QLatin1String(", "))));
                                else
                                    self->launch(pending->env);
                            });
    }
}

void RunSession::redriveDeadLetters()
{
    const QList<qint64> rows = m_deadLetters->dataRows();
    if (rows.isEmpty() || isRunning() || m_starting)
        return;
    const run::RunSettings settings = m_settings;
    const std::optional<imports::Mapping> mapping = m_mapping;
    start(settings, mapping);
    m_onlyRows = std::set<qint64>(rows.begin(), rows.end()); // read by launch(), which may run later
}

void RunSession::fail(const QString &error)
{
    m_starting = false;
    emit failedToStart(error);
}

void RunSession::launch(const QProcessEnvironment &env)
{
    // launch() may be reached synchronously from start(): a re-drive sets its rows
    // right after start() returns, so defer one turn of the event loop.
    QMetaObject::invokeMethod(
        this, [this, env, generation = m_generation] {
            if (generation != m_generation)
                return;
            std::optional<quint16> sandboxPort;
            if (m_settings.sandbox) {
                QString error;
                const quint16 port = ensureSandbox(&error);
                if (!port)
                    return fail(tr("The embedded sandbox did not start: %1").arg(error));
                sandboxPort = port;
            }

            // The same directory, files and order as headroom-cli run / resume.
            const bool resuming = bool(m_resumed);
            std::unique_ptr<run::RunRecorder> recorder = std::move(m_resumed);
            QString error;
            if (!resuming) {
                recorder = std::make_unique<run::RunRecorder>(QDir(m_runsDirectory).filePath(run::RunDirectory::newId()));
                if (!recorder->createNew(m_settings, &error, m_mapping ? m_mapping->toJson() : QByteArray()))
                    return fail(error);
            }
            const SteadyClock &clock = SteadyClock::instance();
            std::optional<run::RunPlan> plan = recorder->prepare(env, sandboxPort, clock, &error);
            if (!plan)
                return fail(error);

            // Runs of this console into one scope share its budget; runs into
            // other scopes never meet (the CLI runs alone in its process).
            for (run::LaneConfig &lane : plan->lanes)
                lane.processBudgetKey = run::ScopeLaneConfig::processBudgetKey(lane);

            m_lanes = plan->lanes;
            auto prepared = std::make_shared<PreparedRun>();
            prepared->skip = rowSkip(*recorder);
            prepared->recorder = std::move(recorder);
            prepared->plan = std::move(*plan);
            prepared->resuming = resuming;
            if (prepared->plan.settings.changeMode == state::ChangeMode::All)
                startEngine(*prepared);
            else
                countChanges(prepared);
        },
        Qt::QueuedConnection);
}

std::function<bool(qint64)> RunSession::rowSkip(const run::RunRecorder &recorder) const
{
    std::function<bool(qint64)> skip = recorder.skip();
    if (!m_onlyRows)
        return skip;
    return [rows = *m_onlyRows, finished = std::move(skip)](qint64 row) {
        return rows.find(row) == rows.end() || (finished && finished(row));
    };
}

void RunSession::countChanges(const std::shared_ptr<PreparedRun> &prepared)
{
    imports::CallSourceOptions source = prepared->plan.sourceOptions;
    source.skip = prepared->skip;
    const state::ChangeMode mode = prepared->plan.settings.changeMode;
    auto *watcher = new QFutureWatcher<std::shared_ptr<CountedChanges>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, prepared, generation = m_generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return; // abandoned while counting: nothing was sent
        const std::shared_ptr<CountedChanges> counted = watcher->result();
        if (!counted->preview)
            return fail(tr("Cannot count the rows to send: %1").arg(counted->error));
        const run::RunPlan &plan = prepared->plan;
        emit changesCounted(tr("%1: %2").arg(state::changeModeName(plan.settings.changeMode),
                                             counted->preview->text(plan.mainRatePerS())));
        prepared->recorder->adoptPreview(std::move(*counted->preview));
        startEngine(*prepared);
    });
    watcher->setFuture(
        QtConcurrent::run([source = std::move(source), storePath = prepared->recorder->storePath(), mode] {
            auto counted = std::make_shared<CountedChanges>();
            counted->preview = run::ChangePreview::count(source, storePath, source.destination, mode,
                                                         &counted->error, run::ChangePreview::Keep::Decisions);
            return counted;
        }));
}

void RunSession::startEngine(PreparedRun &prepared)
{
    m_recorder = std::move(prepared.recorder);
    m_runDirectory = m_recorder->directory();
    m_buffer->clear();
    m_log->clear();
    m_deadLetters->clear();
    QList<run::RunObserver *> observers = m_recorder->observers();
    observers << m_buffer.get();
    m_starting = false;
    m_controller->setGiveUpAfter(prepared.plan.settings.giveUpAfter);
    m_controller->start(prepared.plan.makeSource(prepared.skip, m_recorder->filter(), m_recorder->skipped()),
                        prepared.plan.lanes, SteadyClock::instance(), observers);
    m_flushTimer.start();
    qCInfo(lcUi) << (prepared.resuming ? "run resumed in" : "run started in") << m_runDirectory;
    for (const QString &warning : m_recorder->warnings())
        emit warned(warning);
    emit started(m_runDirectory);
}

QStringList RunSession::scopeKeysOf(const QList<metrics::LaneSnapshot> &lanes) const
{
    QStringList keys;
    for (const metrics::LaneSnapshot &lane : lanes)
        keys << run::ScopeLaneConfig::processBudgetKeyOf(m_lanes, lane.lane);
    return keys;
}

void RunSession::flushBuffer()
{
    m_log->append(m_buffer->takeAttempts());
    m_deadLetters->append(m_buffer->takeFailed());
    m_log->setOutcomes(m_buffer->outcomes());
}

run::RunSummary RunSession::record(const run::RunSummary &engineSummary)
{
    // The engine thread has ended: nothing more reaches the buffer.
    m_flushTimer.stop();
    flushBuffer();
    run::RunSummary summary = engineSummary;
    if (m_recorder) {
        QString error;
        summary = m_recorder->finish(engineSummary, &error);
        if (!error.isEmpty())
            qCWarning(lcUi) << "cannot write summary.json:" << error;
        m_recorder.reset();
    }
    // The engine's own tally has the last word, as on the CLI's last line.
    m_log->setOutcomes(summary.outcomes());
    return summary;
}

void RunSession::abandonStart()
{
    if (!m_starting)
        return;
    ++m_generation; // a keychain answer arriving later finds another generation
    m_starting = false;
}

} // namespace headroom::ui
