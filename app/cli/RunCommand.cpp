// headroom-cli run: one import, at the limit, from the terminal.
#include "CliCommands.h"
#include "ProgressLine.h"

#include "apis/ApiProfile.h"
#include "clock/DurationText.h"
#include "clock/SteadyClock.h"
#include "run/RunController.h"
#include "run/RunLogWriter.h"
#include "run/RunPlan.h"
#include "sandbox/SandboxThread.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
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

bool writeJson(const QString &path, const QJsonObject &json, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
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
    const QCommandLineOption burstOpt(QStringLiteral("burst"), tr("Token bucket burst."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption concurrencyOpt(QStringLiteral("concurrency"), tr("Requests in flight at most (default: from the rate)."), QStringLiteral("N"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"), tr("Pack rows into the API's batch endpoint."));
    const QCommandLineOption timeoutOpt(QStringLiteral("timeout"), tr("Per-request transfer timeout (default 30s)."), QStringLiteral("T"), QStringLiteral("30s"));
    const QCommandLineOption attemptsOpt(QStringLiteral("max-attempts"), tr("Attempts per request, the first included (default 5)."), QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption runDirOpt(QStringLiteral("run-dir"), tr("Run directory (journal, logs, summary)."), QStringLiteral("D"));
    const QCommandLineOption summaryOpt(QStringLiteral("summary"), tr("Write the summary JSON here."), QStringLiteral("OUT.json"));
    const QCommandLineOption progressOpt(QStringLiteral("progress"), tr("auto, tty, plain or none (default auto)."), QStringLiteral("MODE"), QStringLiteral("auto"));
    const QCommandLineOption intervalOpt(QStringLiteral("progress-interval"), tr("Seconds between plain progress lines (default 5)."), QStringLiteral("S"), QStringLiteral("5"));
    parser.addOptions({profileOpt, fileOpt, mappingOpt, formatOpt, baseUrlOpt, regionOpt, sandboxOpt, rateOpt, windowOpt,
                       strategyOpt, tokenBucketOpt, burstOpt, concurrencyOpt, batchOpt, timeoutOpt, attemptsOpt, runDirOpt,
                       summaryOpt, progressOpt, intervalOpt});
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
    if (!parser.isSet(profileOpt) || !parser.isSet(fileOpt))
        return usage(tr("--profile and --file are required (see --help)"));

    run::RunSettings settings;
    settings.profile = parser.value(profileOpt);
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
    bool ok = true;
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
    settings.batch = parser.isSet(batchOpt);
    const auto timeout = DurationText::parse(parser.value(timeoutOpt));
    if (!timeout || *timeout <= Duration::zero())
        return usage(tr("--timeout: expected a duration such as 30s"));
    settings.timeout = *timeout;
    settings.maxAttempts = parser.value(attemptsOpt).toInt(&ok);
    if (!ok || settings.maxAttempts < 1)
        return usage(tr("--max-attempts: expected a whole number >= 1"));
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

    if (!QFile::exists(settings.file)) {
        err << tr("headroom-cli run: %1: no such file\n").arg(settings.file);
        return ExitUsage;
    }

    sandbox::SandboxThread sandboxThread;
    std::optional<quint16> sandboxPort;
    if (settings.sandbox) {
        QString error;
        const quint16 port = sandboxThread.start(sandbox::SandboxConfig(), 0, &error);
        if (!port) {
            err << tr("headroom-cli run: cannot start the embedded sandbox: %1\n").arg(error);
            return ExitInternal;
        }
        sandboxPort = port;
        err << tr("sandbox: listening on 127.0.0.1:%1\n").arg(port);
    }

    QString error;
    const std::optional<run::RunPlan> plan =
        run::RunPlan::build(settings, QProcessEnvironment::systemEnvironment(), sandboxPort, &error);
    if (!plan)
        return usage(error);

    const QString summaryPath = parser.value(summaryOpt);
    const QString runDir = parser.value(runDirOpt);

    const SteadyClock &clock = SteadyClock::instance();
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

    QList<run::RunObserver *> observers;
    std::unique_ptr<run::RunLogWriter> runLog;
    if (!runDir.isEmpty()) {
        if (!QDir().mkpath(runDir)) {
            err << tr("headroom-cli run: cannot create run directory %1\n").arg(runDir);
            return ExitUsage;
        }
        runLog = std::make_unique<run::RunLogWriter>(QDir(runDir).filePath(QStringLiteral("requests.jsonl")), plan->secrets());
        if (!runLog->open(&error)) {
            err << tr("headroom-cli run: cannot write the run log: %1\n").arg(error);
            return ExitUsage;
        }
        observers << runLog.get();
    }
    controller.start(plan->makeSource(), plan->lanes, clock, observers);
    QCoreApplication::exec();
    interruptPoll.stop();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    progressLine.finish();

    const QJsonObject summaryJson = result.toJson();
    if (!summaryPath.isEmpty() && !writeJson(summaryPath, summaryJson, &error))
        err << tr("headroom-cli run: cannot write %1: %2\n").arg(summaryPath, error);
    if (runLog)
        runLog->flush();

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
    return result.rowsFailed > 0 ? ExitDeadLetters : ExitOk;
}

} // namespace headroom::cli
