// headroom-cli run: one import, at the limit, from the terminal.
#include "app/cli/CliCommands.h"
#include "app/cli/InterruptGuard.h"
#include "app/cli/ProgressLine.h"
#include "app/cli/RunArguments.h"
#include "app/cli/RunOptions.h"

#include "core/clock/SteadyClock.h"
#include "core/run/ChangePreview.h"
#include "core/run/ResumeTarget.h"
#include "core/run/RunController.h"
#include "core/run/RunDirectory.h"
#include "core/run/RunLogCsv.h"
#include "core/run/RunPlan.h"
#include "core/run/RunRecorder.h"
#include "core/sandbox/SandboxThread.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QProcessEnvironment>
#include <QTextStream>

namespace headroom::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

int usageError(QTextStream &err, const QString &message)
{
    err << tr("headroom-cli run: %1\n").arg(message);
    return ExitUsage;
}

// A resumed run's settings come from its run.json, which may have been
// edited: the resumer's credentials go only where the profile sends, or where
// the operator says again.
bool loadResumed(run::RunRecorder &recorder, const RunArguments &arguments, run::RunSettings &settings,
                 QTextStream &err, QString *error)
{
    if (!recorder.loadForResume(error))
        return false;
    settings = recorder.settings();
    *error = run::ResumeTarget::refusal(settings, arguments.confirmedBaseUrl);
    if (!error->isEmpty())
        return false;
    err << tr("resuming: sending to %1\n").arg(run::ResumeTarget::describe(settings));
    if (arguments.giveUpAfter)
        settings.giveUpAfter = *arguments.giveUpAfter;
    if (arguments.limitsFile)
        settings.limitsFile = *arguments.limitsFile;
    return true;
}

std::optional<quint16> startSandbox(sandbox::SandboxThread &sandboxThread, QTextStream &err)
{
    QString error;
    const quint16 port = sandboxThread.start(sandbox::SandboxConfig(), 0, &error);
    if (!port) {
        err << tr("headroom-cli run: cannot start the embedded sandbox: %1\n").arg(error);
        return std::nullopt;
    }
    err << tr("sandbox: listening on 127.0.0.1:%1\n").arg(port);
    return port;
}

bool createRun(run::RunRecorder &recorder, const run::RunSettings &settings, QString *error)
{
    if (recorder.runDirectory().hasManifest()) {
        *error = tr("%1 already holds a run: continue it with 'headroom-cli resume --run-dir %1', "
                    "or choose another directory")
                     .arg(recorder.directory());
        return false;
    }
    return recorder.createNew(settings, error);
}

// Runs the plan on the event loop until the controller finishes. The first
// Ctrl-C (or SIGTERM) finishes what is in flight and stops; the second aborts.
run::RunSummary execute(run::RunRecorder &recorder, const run::RunPlan &plan, const run::RunSettings &settings,
                        const RunArguments &arguments, const Clock &clock, QTextStream &err)
{
    run::RunController controller;
    ProgressLine progressLine(arguments.progressMode, arguments.progressInterval);
    run::RunSummary result;
    QObject::connect(&controller, &run::RunController::progressed, &controller,
                     [&progressLine](const run::RunProgress &p) { progressLine.update(p); });
    QObject::connect(&controller, &run::RunController::finished, &controller, [&result](const run::RunSummary &s) {
        result = s;
        QCoreApplication::exit(0);
    });
    {
        const InterruptGuard interrupts([&](int count) {
            progressLine.finish();
            if (count == 1) {
                err << tr("interrupted: finishing requests in flight (interrupt again to abort)\n");
                err.flush();
                controller.drain();
            } else {
                controller.cancel();
            }
        });
        for (const QString &warning : recorder.warnings())
            err << tr("headroom-cli run: %1\n").arg(warning);
        controller.setGiveUpAfter(settings.giveUpAfter);
        controller.start(plan.makeSource(recorder.skip(), recorder.filter(), recorder.skipped()), plan.lanes, clock, recorder.observers());
        QCoreApplication::exec();
    }
    progressLine.finish();
    return result;
}

// Closes the run's record and writes what the operator asked for besides;
// a file that cannot be written is reported and does not change the outcome.
run::RunSummary finishRecord(run::RunRecorder &recorder, const run::RunSummary &ran, const RunArguments &arguments,
                             QTextStream &err)
{
    QString error;
    const run::RunSummary result = recorder.finish(ran, &error);
    if (!error.isEmpty())
        err << tr("headroom-cli run: %1\n").arg(error);
    const QString &summaryPath = arguments.summaryPath;
    if (!summaryPath.isEmpty() && !run::RunDirectory::writeJsonFile(summaryPath, result.toJson(), &error))
        err << tr("headroom-cli run: cannot write %1: %2\n").arg(summaryPath, error);
    const run::RunDirectory &runDir = recorder.runDirectory();
    if (arguments.logCsv && !run::RunLogCsv::convert(runDir.requestsPath(), runDir.requestsCsvPath(), &error))
        err << tr("headroom-cli run: cannot write %1: %2\n").arg(runDir.requestsCsvPath(), error);
    return result;
}

int report(const run::RunSummary &result, const run::RunRecorder &recorder, QTextStream &out, QTextStream &err)
{
    if (result.ending == run::RunSummary::Ending::Failed) {
        err << tr("headroom-cli run: %1\n").arg(result.error);
        return ExitUsage;
    }
    out << tr("%1: %2 rows, %3 done, %4 failed, %5 not attempted; %11; %6 requests, %7 429s, %8 retries; "
              "%9 s, %10 rows/s\n")
               .arg(run::RunSummary::endingName(result.ending))
               .arg(result.rowsTotal)
               .arg(result.rowsDone)
               .arg(result.rowsFailed)
               .arg(result.rowsNotAttempted)
               .arg(result.requests)
               .arg(result.responses429)
               .arg(result.retries)
               .arg(result.elapsedS, 0, 'f', 1)
               .arg(result.rowsPerS(), 0, 'f', 1)
               .arg(result.outcomeText());
    out.flush();
    if (result.ending == run::RunSummary::Ending::Cancelled || result.ending == run::RunSummary::Ending::Drained)
        return ExitInterrupted;
    if (result.ending == run::RunSummary::Ending::GaveUp) {
        err << tr("headroom-cli run: gave up: %1; resume with headroom-cli resume --run-dir %2\n")
                   .arg(result.stopped, recorder.directory());
        return ExitGaveUp;
    }
    // A resumed run answers for the whole run: earlier dead letters count too.
    const bool anyDeadLetters = result.rowsFailed > 0 || recorder.hadEarlierDeadLetters();
    return anyDeadLetters ? ExitDeadLetters : ExitOk;
}

// A run that leaves rows out says first how many and what that saves; the
// run then sends the rows this count decided on, without deciding again.
bool previewChanges(run::RunRecorder &recorder, const run::RunPlan &plan, QTextStream &err, QString *error)
{
    const state::ChangeMode mode = plan.settings.changeMode;
    if (mode == state::ChangeMode::All)
        return true;
    imports::CallSourceOptions source = plan.sourceOptions;
    source.skip = recorder.skip();
    std::optional<run::ChangePreview> preview = run::ChangePreview::count(
        source, recorder.storePath(), source.destination, mode, error, run::ChangePreview::Keep::Decisions);
    if (!preview)
        return false;
    err << tr("%1: %2\n").arg(state::changeModeName(mode), preview->text(plan.mainRatePerS()));
    err.flush();
    recorder.adoptPreview(std::move(*preview));
    return true;
}

// Everything after the command line: the run directory (created, or read to
// resume, before anything is sent), the sandbox if asked for, the run itself.
int runImport(const RunArguments &arguments, QTextStream &out, QTextStream &err)
{
    run::RunRecorder recorder(arguments.runDir.isEmpty() ? run::RunDirectory::createDefault().path()
                                                         : arguments.runDir);
    run::RunSettings settings = arguments.settings;
    QString error;
    if (arguments.resuming && !loadResumed(recorder, arguments, settings, err, &error))
        return usageError(err, error);
    if (!arguments.resuming && !QFile::exists(settings.file)) {
        err << tr("headroom-cli run: %1: no such file\n").arg(settings.file);
        return ExitUsage;
    }
    sandbox::SandboxThread sandboxThread;
    std::optional<quint16> sandboxPort;
    if (settings.sandbox) {
        sandboxPort = startSandbox(sandboxThread, err);
        if (!sandboxPort)
            return ExitInternal;
    }
    if (!arguments.resuming && !createRun(recorder, settings, &error))
        return usageError(err, error);
    const SteadyClock &clock = SteadyClock::instance();
    const std::optional<run::RunPlan> plan =
        recorder.prepare(QProcessEnvironment::systemEnvironment(), sandboxPort, clock, &error);
    if (!plan)
        return usageError(err, error);
    err << tr("run directory: %1\n").arg(recorder.directory());
    if (!previewChanges(recorder, *plan, err, &error))
        return usageError(err, error);
    const run::RunSummary ran = execute(recorder, *plan, settings, arguments, clock, err);
    return report(finishRecord(recorder, ran, arguments, err), recorder, out, err);
}

} // namespace

int runCommand(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    const RunOptions options;
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Run an import into a rate-limited API at its limit.\n"
                                        "Credentials come from the environment: HEADROOM_SITE_ID and "
                                        "HEADROOM_API_KEY, HEADROOM_TOKEN, HEADROOM_WRITE_KEY."));
    options.addTo(parser);
    parser.addHelpOption();

    if (!parser.parse(QStringList{QStringLiteral("headroom-cli run")} + args))
        return usageError(err, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return ExitOk;
    }
    QString error;
    const std::optional<RunArguments> arguments =
        RunArguments::parse(options, parser, ProgressLine::detect(stderr), &error);
    if (!arguments)
        return usageError(err, error);
    return runImport(*arguments, out, err);
}

} // namespace headroom::cli
