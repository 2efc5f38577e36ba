#pragma once

#include "core/imports/Mapping.h"
#include "core/run/LaneConfig.h"
#include "core/run/RunController.h"
#include "core/run/RunPlan.h"
#include "core/run/RunSettings.h"
#include "core/run/RunSummary.h"

#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QTimer>

#include <memory>
#include <optional>
#include <set>

namespace headroom::run {
class RunRecorder;
}
namespace headroom::sandbox {
class SandboxThread;
}

namespace headroom::ui {

class AttemptBuffer;
class CredentialStore;
class DeadLetterModel;
class RunLogModel;

// What the console adds around a run's RunController: it starts and resumes
// runs exactly as `headroom-cli run` does (RunSettings → RunRecorder → RunPlan
// → RunController), with secrets taken from the CredentialStore into a
// QProcessEnvironment that never leaves memory; owns the embedded sandbox and
// the run's recorder (run.json, journal, dead letters, run log, lane state,
// summary.json, written before the controller's `finished`), and flushes the
// engine's attempts into the log models at 10 Hz. Widgets follow the run
// (state, samples, progress, the summary) and steer it (pause, resume, drain,
// cancel, lane limits) on controller() itself; here they find only whether a
// start succeeded.
class RunSession : public QObject
{
    Q_OBJECT
public:
    // `controller`: the engine face this session starts runs on (an import of
    // the transfer list owns it); null: the session makes its own.
    explicit RunSession(CredentialStore *credentials, QObject *parent = nullptr,
                        run::RunController *controller = nullptr);
    ~RunSession() override;

    // Where run directories go; default: <AppDataLocation>/runs.
    void setRunsDirectory(const QString &directory) { m_runsDirectory = directory; }
    QString runsDirectory() const { return m_runsDirectory; }
    QString currentRunDirectory() const { return m_runDirectory; }

    RunLogModel *log() const { return m_log; }
    DeadLetterModel *deadLetters() const { return m_deadLetters; }
    CredentialStore *credentials() const { return m_credentials; }

    // The run's engine: connect to it once for state, samples and the summary.
    run::RunController *controller() const { return m_controller; }
    bool isRunning() const;
    bool isStarting() const { return m_starting; }
    const run::RunSettings &settings() const { return m_settings; }
    // The scope (process budget key) of each of these lanes of this session's
    // run, for charts that sum runs per scope; empty for a lane it has no key for.
    QStringList scopeKeysOf(const QList<metrics::LaneSnapshot> &lanes) const;

    // The embedded sandbox, started on first use; 0 when it could not start.
    quint16 ensureSandbox(QString *error = nullptr);
    sandbox::SandboxThread *sandbox() const { return m_sandboxOwner ? m_sandboxOwner->sandbox() : m_sandbox.get(); }
    // Runs against `other`'s embedded sandbox (one per console), started on first use there.
    void shareSandboxOf(RunSession *other) { m_sandboxOwner = other; }

    // Starts a run; the answer comes as started() or failedToStart(). Credentials
    // are read from the store first (not for the sandbox, which has its own).
    void start(const run::RunSettings &settings, const std::optional<imports::Mapping> &mapping = std::nullopt);
    // Continues the run kept in `runDirectory` (one the console or the CLI left
    // unfinished): its settings from run.json, finished rows skipped.
    void resumeRun(const QString &runDirectory);
    // Sends the last run's dead-lettered rows again, with the same settings.
    void redriveDeadLetters();

    // The environment variable names a profile's credentials use, and their keychain keys.
    static QStringList credentialVariables(const QString &profile);
    static QString credentialKey(const QString &profile, const QString &variable);
    // The password of a profile's shared budget (Redis), kept in the keychain
    // beside its credentials and handed to the run as the CLI reads it.
    static QString redisPasswordVariable() { return QStringLiteral("HEADROOM_REDIS_PASSWORD"); }

public slots:
    // Abandons a start still waiting for the keychain (a run already going is
    // cancelled on controller()).
    void abandonStart();

signals:
    void started(const QString &runDirectory);
    void failedToStart(const QString &error);
    // A run with a change mode counted what it leaves out before sending, as
    // headroom-cli's first line ("changed-only: 49 unchanged rows skipped: …").
    void changesCounted(const QString &text);
    // Something the operator should know that does not stop the run (a damaged
    // journal record ignored, dead letters without a request).
    void warned(const QString &message);

private:
    void readCredentials(const QString &profile, bool sandbox);
    void launch(const QProcessEnvironment &env);
    struct PreparedRun;
    struct CountedChanges;
    // The rows this run leaves to earlier attempts (and, re-driving, every
    // row but the dead-lettered ones).
    std::function<bool(qint64)> rowSkip(const run::RunRecorder &recorder) const;
    // A change mode's count runs off the GUI thread (a large file takes
    // seconds); the run then sends the rows the count decided on.
    void countChanges(const std::shared_ptr<PreparedRun> &prepared);
    void startEngine(PreparedRun &prepared);
    void flushBuffer();
    run::RunSummary record(const run::RunSummary &engineSummary);
    void fail(const QString &error);

    CredentialStore *m_credentials;
    std::unique_ptr<sandbox::SandboxThread> m_sandbox;
    QPointer<RunSession> m_sandboxOwner;       // set: its sandbox is this session's
    QPointer<run::RunController> m_controller; // may go first: an import's, when the list goes
    std::unique_ptr<AttemptBuffer> m_buffer;
    std::unique_ptr<run::RunRecorder> m_recorder; // of the run starting or running
    RunLogModel *m_log;
    DeadLetterModel *m_deadLetters;
    QTimer m_flushTimer;

    QString m_runsDirectory;
    QString m_runDirectory;
    run::RunSettings m_settings;
    QList<run::LaneConfig> m_lanes; // the running plan's main lanes
    std::optional<imports::Mapping> m_mapping;
    std::optional<std::set<qint64>> m_onlyRows;  // a re-drive: every other row is skipped
    std::unique_ptr<run::RunRecorder> m_resumed; // a resume: the run to continue, already loaded
    bool m_starting = false;
    int m_generation = 0; // ignores credential reads of an abandoned start
};

} // namespace headroom::ui
