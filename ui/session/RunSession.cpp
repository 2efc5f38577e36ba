#include "session/RunSession.h"

#include "run/RunDirectory.h"

#include "UiLogging.h"
#include "apis/ApiProfile.h"
#include "apis/CredentialStore.h"
#include "clock/SteadyClock.h"
#include "log/DeadLetterModel.h"
#include "log/RunLogModel.h"
#include "run/DeadLetterRequests.h"
#include "run/RunController.h"
#include "run/RunLogWriter.h"
#include "run/RunPlan.h"
#include "sandbox/SandboxThread.h"
#include "session/AttemptBuffer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QPointer>
#include <QSaveFile>
#include <QStandardPaths>

namespace headroom::ui {

namespace {

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace

RunSession::RunSession(CredentialStore *credentials, QObject *parent)
    : QObject(parent)
    , m_credentials(credentials)
    , m_controller(new run::RunController(this))
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
    m_drainTimer.setInterval(100);
    connect(&m_drainTimer, &QTimer::timeout, this, &RunSession::drainBuffer);

    connect(m_controller, &run::RunController::sampled, this, [this](const QList<metrics::LaneSnapshot> &lanes) {
        m_snapshots = lanes;
        emit sampled(lanes);
    });
    connect(m_controller, &run::RunController::progressed, this, [this](const run::RunProgress &progress) {
        m_progress = progress;
        emit progressed(progress);
    });
    connect(m_controller, &run::RunController::stateChanged, this, [this](run::Dispatcher::State state) {
        m_state = state;
        emit stateChanged(state);
    });
    connect(m_controller, &run::RunController::finished, this, &RunSession::onFinished);
}

RunSession::~RunSession()
{
    // The controller cancels and joins the engine thread before the observers go.
    delete m_controller;
    m_controller = nullptr;
    if (m_logWriter)
        m_logWriter->flush();
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
    m_starting = true;
    const int generation = ++m_generation;

    const QStringList variables = settings.sandbox ? QStringList() : credentialVariables(settings.profile);
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
        m_credentials->read(credentialKey(settings.profile, variable),
                            [self = QPointer<RunSession>(this), pending, variable, generation](const QString &value,
                                                                                              const QString &error) {
                                if (!value.isEmpty())
                                    pending->env.insert(variable, value);
                                if (!error.isEmpty())
                                    pending->error = error;
                                if (--pending->left > 0 || !self || generation != self->m_generation)
                                    return;
                                if (!pending->error.isEmpty())
                                    self->fail(tr("Cannot read the credentials from the keychain: %1").arg(pending->error));
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
    QMetaObject::invokeMethod(this, [this, env, generation = m_generation] {
        if (generation != m_generation)
            return;
        run::RunSettings settings = m_settings;
        std::optional<quint16> sandboxPort;
        if (settings.sandbox) {
            QString error;
            const quint16 port = ensureSandbox(&error);
            if (!port)
                return fail(tr("The embedded sandbox did not start: %1").arg(error));
            sandboxPort = port;
        }

        const QString name = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
        const QString directory = QDir(m_runsDirectory).filePath(name);
        if (!QDir().mkpath(directory))
            return fail(tr("Cannot create the run directory %1.").arg(directory));
        QString error;
        if (m_mapping) {
            const QString mappingPath = QDir(directory).filePath(QStringLiteral("mapping.json"));
            if (!writeFile(mappingPath, m_mapping->toJson(), &error))
                return fail(tr("Cannot write the mapping: %1").arg(error));
            settings.mappingFile = mappingPath;
        }
        std::optional<run::RunPlan> plan = run::RunPlan::build(settings, env, sandboxPort, &error);
        if (!plan) {
            QDir(directory).removeRecursively();
            return fail(error);
        }
        // A dead-letter file (of any run) is re-driven as `headroom-cli run --file`
        // does: its requests, sent through the lane of the profile it names.
        if (run::DeadLetterRequests::profileOf(settings.file)) {
            const QString requests = QDir(directory).filePath(QStringLiteral("redrive-requests.jsonl"));
            if (!run::DeadLetterRequests::convert(settings.file, requests, &error)) {
                QDir(directory).removeRecursively();
                return fail(error);
            }
            plan->sourceOptions.profile = QStringLiteral("generic");
            plan->sourceOptions.filePath = requests;
            plan->sourceOptions.mapping.reset();
            plan->sourceOptions.format = imports::InputFormat::JsonLines;
        }
        if (!writeFile(QDir(directory).filePath(QStringLiteral("run.json")),
                       QJsonDocument(settings.toJson()).toJson(QJsonDocument::Indented), &error))
            return fail(tr("Cannot write run.json: %1").arg(error));

        auto logWriter = std::make_unique<run::RunLogWriter>(QDir(directory).filePath(QStringLiteral("requests.jsonl")),
                                                             plan->secrets());
        if (!logWriter->open(&error))
            return fail(tr("Cannot write the run log: %1").arg(error));

        m_runDirectory = directory;
        m_logWriter = std::move(logWriter);
        m_buffer->takeAttempts();
        m_buffer->takeFailed();
        m_log->clear();
        m_deadLetters->clear();
        m_progress = {};
        m_snapshots.clear();
        m_state = run::Dispatcher::State::Idle;

        std::function<bool(qint64)> skip;
        if (m_onlyRows)
            skip = [rows = *m_onlyRows](qint64 row) { return rows.find(row) == rows.end(); };
        m_starting = false;
        m_controller->start(plan->makeSource(skip), plan->lanes, SteadyClock::instance(),
                            {m_buffer.get(), m_logWriter.get()});
        m_drainTimer.start();
        qCInfo(lcUi) << "run started in" << directory;
        emit started(directory);
    }, Qt::QueuedConnection);
}

void RunSession::drainBuffer()
{
    m_log->append(m_buffer->takeAttempts());
    m_deadLetters->append(m_buffer->takeFailed());
}

void RunSession::onFinished(const run::RunSummary &summary)
{
    // The engine thread has ended: nothing more reaches the buffer.
    m_drainTimer.stop();
    drainBuffer();
    m_state = run::Dispatcher::State::Finished;
    if (m_logWriter) {
        m_logWriter->flush();
        m_logWriter.reset();
    }
    QString error;
    if (!m_runDirectory.isEmpty()
        && !writeFile(QDir(m_runDirectory).filePath(QStringLiteral("summary.json")),
                      QJsonDocument(summary.toJson()).toJson(QJsonDocument::Indented), &error))
        qCWarning(lcUi) << "cannot write summary.json:" << error;
    emit finished(summary);
}

void RunSession::pause()
{
    m_controller->pause();
}

void RunSession::resume()
{
    m_controller->resume();
}

void RunSession::drain()
{
    m_controller->drain();
}

void RunSession::cancel()
{
    if (m_starting) {
        ++m_generation; // abandon a start still waiting for the keychain
        m_starting = false;
        return;
    }
    m_controller->cancel();
}

void RunSession::setLaneLimit(int lane, int limit, qint64 windowMs)
{
    m_controller->setLaneLimit(lane, limit, windowMs);
}

void RunSession::setLaneConcurrency(int lane, int concurrency)
{
    m_controller->setLaneConcurrency(lane, concurrency);
}

} // namespace headroom::ui
