// headroom-cli run: one import, at the limit, from the terminal.
#include "CliCommands.h"
#include "ProgressLine.h"

#include "apis/ApiProfile.h"
#include "budget/RedisUrl.h"
#include "clock/DurationText.h"
#include "clock/SteadyClock.h"
#include "run/DeadLetterRequests.h"
#include "run/ResumeTarget.h"
#include "run/RunController.h"
#include "run/RunDirectory.h"
#include "run/RunLogCsv.h"
#include "run/RunPlan.h"
#include "run/RunRecorder.h"
#include "sandbox/SandboxThread.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace headroom::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

std::atomic<int> g_interrupts{0};

extern "C" void onInterrupt(int)
{
    g_interrupts.fetch_add(1);
}

} // namespace

int runCommand(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Run an import into a rate-limited API at its limit.\n"
                                        "Credentials come from the environment: HEADROOM_SITE_ID and "
                                        "HEADROOM_API_KEY, HEADROOM_TOKEN, HEADROOM_WRITE_KEY."));
    const QCommandLineOption profileOpt(QStringLiteral("profile"),
        tr("API profile: %1.").arg(apis::ApiProfile::names().join(QStringLiteral(", "))), QStringLiteral("P"));
    const QCommandLineOption fileOpt(QStringLiteral("file"), tr("Import file (CSV, JSON Lines, JSON array or request file)."), QStringLiteral("F"));
    const QCommandLineOption mappingOpt(QStringLiteral("mapping"), tr("Mapping file (JSON)."), QStringLiteral("M.json"));
    const QCommandLineOption formatOpt(QStringLiteral("format"), tr("Input format: csv, jsonl or json (default: detect)."), QStringLiteral("FORMAT"));
    const QCommandLineOption baseUrlOpt(QStringLiteral("base-url"), tr("API base URL (default: the profile's)."), QStringLiteral("URL"));
    const QCommandLineOption regionOpt(QStringLiteral("region"), tr("Region of the profile's API: us or eu."), QStringLiteral("R"));
    const QCommandLineOption sandboxOpt(QStringLiteral("sandbox"), tr("Send to an embedded local sandbox instead of the real API."));
    const QCommandLineOption rateOpt(QStringLiteral("rate"), tr("Requests allowed per window (default: the profile's documented limit)."), QStringLiteral("N"));
    const QCommandLineOption windowOpt(QStringLiteral("window"), tr("Length of the rate window, e.g. 1s, 200ms, 10s."), QStringLiteral("W"));
    const QCommandLineOption strategyOpt(QStringLiteral("strategy"), tr("auto, fixed, headers or discover (default auto)."), QStringLiteral("S"), QStringLiteral("auto"));
    const QCommandLineOption tokenBucketOpt(QStringLiteral("token-bucket"), tr("Pace with a token bucket (GCRA) instead of an exact sliding window."));
    const QCommandLineOption marginOpt(QStringLiteral("margin"), tr("Arrival jitter the sliding window allows for (default 5ms, raised after a 429)."), QStringLiteral("T"));
    const QCommandLineOption burstOpt(QStringLiteral("burst"), tr("Token bucket burst."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption concurrencyOpt(QStringLiteral("concurrency"), tr("Requests in flight at most (default: from the rate)."), QStringLiteral("N"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"), tr("Pack rows into the API's batch endpoint."));
    const QCommandLineOption timeoutOpt(QStringLiteral("timeout"), tr("Per-request transfer timeout (default 30s)."), QStringLiteral("T"), QStringLiteral("30s"));
    const QCommandLineOption giveUpOpt(QStringLiteral("give-up-after"),
        tr("Stop the run when no row was done or dead-lettered for this long while work remains, e.g. 90s, "
           "30m, 2h (default 30m; a resume keeps the run's unless given). Exit status 4; the unfinished rows "
           "stay for 'headroom-cli resume'."),
        QStringLiteral("DURATION"), QStringLiteral("30m"));
    const QCommandLineOption attemptsOpt(QStringLiteral("max-attempts"),
        tr("Attempts per request, the first included (default 5). Throttling (429) spends none: a server that "
           "throttles every request, even with Retry-After: 0, is asked less and less often (waits grow from "
           "250 ms to 30 s) and only --give-up-after ends the run."),
        QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption sharedBudgetOpt(QStringLiteral("shared-budget"),
        tr("Draw from a rate budget shared with other Headroom processes through Redis: "
           "redis://HOST:PORT/DB?key=NAME or rediss:// for TLS (one key per workspace and API; a password from "
           "HEADROOM_REDIS_PASSWORD, never in the URL)."),
        QStringLiteral("URL"));
    const QCommandLineOption insecureRedisOpt(QStringLiteral("insecure-redis"),
        tr("Allow the Redis password in clear over the network (redis:// to a host other than this machine)."));
    const QCommandLineOption runDirOpt(QStringLiteral("run-dir"),
        tr("Run directory (run.json, journal, dead letters, run log, summary); default: a new one under the "
           "application data directory."), QStringLiteral("D"));
    const QCommandLineOption resumeOpt(QStringLiteral("resume"),
        tr("Continue the run in --run-dir: settings from its run.json, finished rows skipped (same as "
           "headroom-cli resume)."));
    const QCommandLineOption csvOpt(QStringLiteral("log-csv"), tr("Also export the run log to requests.csv in the run directory."));
    const QCommandLineOption summaryOpt(QStringLiteral("summary"), tr("Write the summary JSON here."), QStringLiteral("OUT.json"));
    const QCommandLineOption progressOpt(QStringLiteral("progress"), tr("auto, tty, plain or none (default auto)."), QStringLiteral("MODE"), QStringLiteral("auto"));
    const QCommandLineOption intervalOpt(QStringLiteral("progress-interval"), tr("Seconds between plain progress lines (default 5)."), QStringLiteral("S"), QStringLiteral("5"));
    parser.addOptions({profileOpt, fileOpt, mappingOpt, formatOpt, baseUrlOpt, regionOpt, sandboxOpt, rateOpt, windowOpt,
                       strategyOpt, tokenBucketOpt, burstOpt, marginOpt, concurrencyOpt, batchOpt, timeoutOpt, giveUpOpt, attemptsOpt, sharedBudgetOpt, insecureRedisOpt, runDirOpt,
                       resumeOpt, csvOpt, summaryOpt, progressOpt, intervalOpt});
    parser.addHelpOption();

    if (!parser.parse(QStringList{QStringLiteral("headroom-cli run")} + args)) {
        err << tr("headroom-cli run: %1\n").arg(parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return ExitOk;
    }
    auto usage = [&err](const QString &message) {
        err << tr("headroom-cli run: %1\n").arg(message);
        return ExitUsage;
    };
    const bool resuming = parser.isSet(resumeOpt);
    const QString runDirArg = parser.value(runDirOpt);
    bool ok = true;
    run::RunSettings settings;
    // The run directory: created (or, to resume, read) before anything is sent.
    run::RunRecorder recorder(runDirArg.isEmpty() ? run::RunDirectory::createDefault().path() : runDirArg);
    if (resuming) {
        if (runDirArg.isEmpty())
            return usage(tr("--resume needs --run-dir"));
        for (const QCommandLineOption *o : {&profileOpt, &fileOpt, &mappingOpt, &formatOpt, &regionOpt,
                                            &sandboxOpt, &rateOpt, &windowOpt, &concurrencyOpt, &batchOpt, &sharedBudgetOpt,
                                            &insecureRedisOpt}) {
            if (parser.isSet(*o))
                return usage(tr("--%1: a resumed run keeps the settings of its run.json").arg(o->names().constFirst()));
        }
        QString error;
        if (!recorder.loadForResume(&error))
            return usage(error);
        settings = recorder.settings();
        // run.json may have been edited: the resumer's credentials go only
        // where the profile sends, or where the operator says again.
        std::optional<QUrl> confirmed;
        if (parser.isSet(baseUrlOpt))
            confirmed = QUrl(parser.value(baseUrlOpt), QUrl::StrictMode);
        const QString refusal = run::ResumeTarget::refusal(settings, confirmed);
        if (!refusal.isEmpty())
            return usage(refusal);
        err << tr("resuming: sending to %1\n").arg(run::ResumeTarget::describe(settings));
    } else {
        if (!parser.isSet(fileOpt))
            return usage(tr("--profile and --file are required (see --help)"));
        const bool deadLetters = run::DeadLetterRequests::profileOf(parser.value(fileOpt)).has_value();
        if (!parser.isSet(profileOpt) && !deadLetters)
            return usage(tr("--profile and --file are required (see --help)"));
        // A dead-letter file never chooses the credentials: without --profile
        // it runs under the profile of the run it came from (run.json beside it).
        settings.profile = parser.isSet(profileOpt) ? parser.value(profileOpt)
                                                    : run::DeadLetterRequests::runProfileOf(parser.value(fileOpt));
        if (settings.profile.isEmpty())
            return usage(tr("%1 is not in a run directory (no run.json beside it): name the profile to re-drive it "
                            "under with --profile").arg(parser.value(fileOpt)));
        if (deadLetters && parser.isSet(batchOpt))
            return usage(tr("--batch: a dead-letter file is re-sent request by request"));
        settings.file = parser.value(fileOpt);
        settings.mappingFile = parser.value(mappingOpt);
        settings.format = parser.value(formatOpt);
        settings.region = parser.value(regionOpt);
        settings.sandbox = parser.isSet(sandboxOpt);
        if (parser.isSet(baseUrlOpt)) {
            if (settings.sandbox)
                return usage(tr("--sandbox and --base-url exclude each other"));
            settings.baseUrl = QUrl(parser.value(baseUrlOpt), QUrl::StrictMode);
            if (!settings.baseUrl.isValid())
                return usage(tr("--base-url: '%1' is not a URL").arg(parser.value(baseUrlOpt)));
        }
        if (parser.isSet(rateOpt)) {
            settings.rate = parser.value(rateOpt).toInt(&ok);
            if (!ok || *settings.rate <= 0)
                return usage(tr("--rate: expected a positive whole number, got '%1'").arg(parser.value(rateOpt)));
        }
        if (parser.isSet(windowOpt)) {
            settings.window = DurationText::parse(parser.value(windowOpt));
            if (!settings.window || *settings.window <= Duration::zero())
                return usage(tr("--window: expected a duration such as 1s or 200ms, got '%1'").arg(parser.value(windowOpt)));
        }
        const auto strategy = run::RunSettings::strategyFromName(parser.value(strategyOpt));
        if (!strategy)
            return usage(tr("--strategy: expected auto, fixed, headers or discover"));
        settings.strategy = *strategy;
        settings.tokenBucket = parser.isSet(tokenBucketOpt);
        settings.burst = parser.value(burstOpt).toInt(&ok);
        if (!ok || settings.burst < 0)
            return usage(tr("--burst: expected a whole number >= 0"));
        if (parser.isSet(concurrencyOpt)) {
            settings.concurrency = parser.value(concurrencyOpt).toInt(&ok);
            if (!ok || settings.concurrency <= 0 || settings.concurrency > 1024)
                return usage(tr("--concurrency: expected 1 to 1024"));
        }
        if (parser.isSet(marginOpt)) {
        settings.margin = DurationText::parse(parser.value(marginOpt));
        if (!settings.margin)
            return usage(tr("--margin: expected a duration such as 20ms"));
    }
    settings.batch = parser.isSet(batchOpt);
        const auto timeout = DurationText::parse(parser.value(timeoutOpt));
        if (!timeout || *timeout <= Duration::zero())
            return usage(tr("--timeout: expected a duration such as 30s"));
        settings.timeout = *timeout;
        settings.maxAttempts = parser.value(attemptsOpt).toInt(&ok);
        if (!ok || settings.maxAttempts < 1)
            return usage(tr("--max-attempts: expected a whole number >= 1"));
        if (parser.isSet(sharedBudgetOpt)) {
            QString urlError; // never echoes the URL: it may carry a password
            const auto url = budget::RedisUrl::parse(parser.value(sharedBudgetOpt), &urlError);
            if (!url)
                return usage(urlError);
            // The command line is readable by every user of the machine (ps, /proc/PID/cmdline).
            if (!url->password.isEmpty())
                return usage(tr("--shared-budget: no password in the URL (every user of this machine can read "
                                "the command line); give it in HEADROOM_REDIS_PASSWORD"));
            settings.sharedBudget = parser.value(sharedBudgetOpt);
            settings.insecureRedis = parser.isSet(insecureRedisOpt);
        }
    }
    if (!resuming || parser.isSet(giveUpOpt)) {
        const auto giveUp = DurationText::parse(parser.value(giveUpOpt));
        if (!giveUp || *giveUp <= Duration::zero())
            return usage(tr("--give-up-after: expected a duration such as 90s, 30m or 2h, got '%1'")
                             .arg(parser.value(giveUpOpt)));
        settings.giveUpAfter = *giveUp;
    }
    ProgressLine::Mode progressMode = ProgressLine::detect(stderr);
    const QString progress = parser.value(progressOpt);
    if (progress == QLatin1String("tty"))
        progressMode = ProgressLine::Mode::Terminal;
    else if (progress == QLatin1String("plain"))
        progressMode = ProgressLine::Mode::Plain;
    else if (progress == QLatin1String("none"))
        progressMode = ProgressLine::Mode::Off;
    else if (progress != QLatin1String("auto"))
        return usage(tr("--progress: expected auto, tty, plain or none"));
    const double interval = parser.value(intervalOpt).toDouble(&ok);
    if (!ok || interval < 0)
        return usage(tr("--progress-interval: expected seconds >= 0"));

    if (!resuming && !QFile::exists(settings.file)) {
        err << tr("headroom-cli run: %1: no such file\n").arg(settings.file);
        return ExitUsage;
    }

    QString error;
    sandbox::SandboxThread sandboxThread;
    std::optional<quint16> sandboxPort;
    if (settings.sandbox) {
        const quint16 port = sandboxThread.start(sandbox::SandboxConfig(), 0, &error);
        if (!port) {
            err << tr("headroom-cli run: cannot start the embedded sandbox: %1\n").arg(error);
            return ExitInternal;
        }
        sandboxPort = port;
        err << tr("sandbox: listening on 127.0.0.1:%1\n").arg(port);
    }

    if (!resuming) {
        if (recorder.runDirectory().hasManifest())
            return usage(tr("%1 already holds a run: continue it with 'headroom-cli resume --run-dir %1', "
                            "or choose another directory").arg(recorder.directory()));
        if (!recorder.createNew(settings, &error))
            return usage(error);
    }
    const SteadyClock &clock = SteadyClock::instance();
    std::optional<run::RunPlan> plan =
        recorder.prepare(QProcessEnvironment::systemEnvironment(), sandboxPort, clock, &error);
    if (!plan)
        return usage(error);
    err << tr("run directory: %1\n").arg(recorder.directory());

    const QString summaryPath = parser.value(summaryOpt);

    run::RunController controller;
    ProgressLine progressLine(progressMode, interval);
    run::RunSummary result;
    QObject::connect(&controller, &run::RunController::progressed, &controller,
                     [&progressLine](const run::RunProgress &p) { progressLine.update(p); });
    QObject::connect(&controller, &run::RunController::finished, &controller, [&result](const run::RunSummary &s) {
        result = s;
        QCoreApplication::exit(0);
    });

    // First Ctrl-C (or SIGTERM): finish what is in flight and stop; second: abort.
    g_interrupts = 0;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    int seenInterrupts = 0;
    QTimer interruptPoll;
    QObject::connect(&interruptPoll, &QTimer::timeout, &controller, [&] {
        const int n = g_interrupts.load();
        if (n == seenInterrupts)
            return;
        seenInterrupts = n;
        progressLine.finish();
        if (n == 1) {
            err << tr("interrupted: finishing requests in flight (interrupt again to abort)\n");
            err.flush();
            controller.drain();
        } else {
            controller.cancel();
        }
    });
    interruptPoll.start(100);

    for (const QString &warning : recorder.warnings())
        err << tr("headroom-cli run: %1\n").arg(warning);
    controller.setGiveUpAfter(settings.giveUpAfter);
    controller.start(plan->makeSource(recorder.skip()), plan->lanes, clock, recorder.observers());
    QCoreApplication::exec();
    interruptPoll.stop();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    progressLine.finish();

    error.clear();
    result = recorder.finish(result, &error);
    if (!error.isEmpty())
        err << tr("headroom-cli run: %1\n").arg(error);
    if (!summaryPath.isEmpty() && !run::RunDirectory::writeJsonFile(summaryPath, result.toJson(), &error))
        err << tr("headroom-cli run: cannot write %1: %2\n").arg(summaryPath, error);
    const run::RunDirectory &runDir = recorder.runDirectory();
    if (parser.isSet(csvOpt) && !run::RunLogCsv::convert(runDir.requestsPath(), runDir.requestsCsvPath(), &error))
        err << tr("headroom-cli run: cannot write %1: %2\n").arg(runDir.requestsCsvPath(), error);

    if (result.ending == run::RunSummary::Ending::Failed) {
        err << tr("headroom-cli run: %1\n").arg(result.error);
        return ExitUsage;
    }
    out << tr("%1: %2 rows, %3 done, %4 failed, %5 not attempted; %6 requests, %7 429s, %8 retries; "
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
               .arg(result.rowsPerS(), 0, 'f', 1);
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

} // namespace headroom::cli
