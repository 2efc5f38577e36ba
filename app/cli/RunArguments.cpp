#include "app/cli/RunArguments.h"

#include "core/budget/RedisUrl.h"
#include "core/clock/DurationText.h"
#include "core/run/DeadLetterRequests.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace headroom::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

// Reads a new run's settings one option at a time, in the order the
// command has always checked them, so the first bad option is the one named.
class SettingsReader
{
public:
    SettingsReader(const RunOptions &options, const QCommandLineParser &parser)
        : m_options(options)
        , m_parser(parser)
    {
    }

    std::optional<run::RunSettings> read(QString *error)
    {
        const bool ok = readSource() && readBaseUrl() && readRate() && readWindow() && readStrategy()
                        && readBurst() && readConcurrency() && readMargin() && readTimeout() && readMaxAttempts()
                        && readSharedBudget() && readChangeMode();
        if (!ok) {
            *error = m_error;
            return std::nullopt;
        }
        return m_settings;
    }

private:
    QString value(const QCommandLineOption &option) const { return m_parser.value(option); }
    bool isSet(const QCommandLineOption &option) const { return m_parser.isSet(option); }

    bool fail(const QString &message)
    {
        m_error = message;
        return false;
    }

    std::optional<int> wholeNumber(const QCommandLineOption &option) const
    {
        bool ok = false;
        const int number = value(option).toInt(&ok);
        return ok ? std::optional<int>(number) : std::nullopt;
    }

    bool readSource()
    {
        const QString required = tr("--profile and --file are required (see --help)");
        if (!isSet(m_options.file))
            return fail(required);
        const QString file = value(m_options.file);
        const bool deadLetters = run::DeadLetterRequests::profileOf(file).has_value();
        if (!isSet(m_options.profile) && !deadLetters)
            return fail(required);
        // A dead-letter file never chooses the credentials: without --profile
        // it runs under the profile of the run it came from (run.json beside it).
        m_settings.profile = isSet(m_options.profile) ? value(m_options.profile)
                                                      : run::DeadLetterRequests::runProfileOf(file);
        if (m_settings.profile.isEmpty())
            return fail(tr("%1 is not in a run directory (no run.json beside it): name the profile to re-drive it "
                           "under with --profile")
                            .arg(file));
        if (deadLetters && isSet(m_options.batch))
            return fail(tr("--batch: a dead-letter file is re-sent request by request"));
        m_settings.file = file;
        m_settings.mappingFile = value(m_options.mapping);
        if (isSet(m_options.limits))
            m_settings.limitsFile = QFileInfo(value(m_options.limits)).absoluteFilePath();
        m_settings.format = value(m_options.format);
        m_settings.region = value(m_options.region);
        m_settings.sandbox = isSet(m_options.sandbox);
        m_settings.tokenBucket = isSet(m_options.tokenBucket);
        m_settings.batch = isSet(m_options.batch);
        m_settings.resendAmbiguous = isSet(m_options.resendAmbiguous);
        return true;
    }

    bool readBaseUrl()
    {
        if (!isSet(m_options.baseUrl))
            return true;
        if (m_settings.sandbox)
            return fail(tr("--sandbox and --base-url exclude each other"));
        m_settings.baseUrl = QUrl(value(m_options.baseUrl), QUrl::StrictMode);
        if (!m_settings.baseUrl.isValid())
            return fail(tr("--base-url: '%1' is not a URL").arg(value(m_options.baseUrl)));
        return true;
    }

    bool readRate()
    {
        if (!isSet(m_options.rate))
            return true;
        m_settings.rate = wholeNumber(m_options.rate);
        if (!m_settings.rate || *m_settings.rate <= 0)
            return fail(tr("--rate: expected a positive whole number, got '%1'").arg(value(m_options.rate)));
        return true;
    }

    bool readWindow()
    {
        if (!isSet(m_options.window))
            return true;
        m_settings.window = DurationText::parse(value(m_options.window));
        if (!m_settings.window || *m_settings.window <= Duration::zero())
            return fail(tr("--window: expected a duration such as 1s or 200ms, got '%1'")
                            .arg(value(m_options.window)));
        return true;
    }

    bool readStrategy()
    {
        const auto strategy = run::RunSettings::strategyFromName(value(m_options.strategy));
        if (!strategy)
            return fail(tr("--strategy: expected auto, fixed, headers or discover"));
        m_settings.strategy = *strategy;
        return true;
    }

    bool readBurst()
    {
        const auto burst = wholeNumber(m_options.burst);
        if (!burst || *burst < 0)
            return fail(tr("--burst: expected a whole number >= 0"));
        m_settings.burst = *burst;
        return true;
    }

    bool readConcurrency()
    {
        if (!isSet(m_options.concurrency))
            return true;
        const auto concurrency = wholeNumber(m_options.concurrency);
        if (!concurrency || *concurrency <= 0 || *concurrency > 1024)
            return fail(tr("--concurrency: expected 1 to 1024"));
        m_settings.concurrency = *concurrency;
        return true;
    }

    bool readMargin()
    {
        if (!isSet(m_options.margin))
            return true;
        m_settings.margin = DurationText::parse(value(m_options.margin));
        if (!m_settings.margin)
            return fail(tr("--margin: expected a duration such as 20ms"));
        return true;
    }

    bool readTimeout()
    {
        const auto timeout = DurationText::parse(value(m_options.timeout));
        if (!timeout || *timeout <= Duration::zero())
            return fail(tr("--timeout: expected a duration such as 30s"));
        m_settings.timeout = *timeout;
        return true;
    }

    bool readMaxAttempts()
    {
        const auto attempts = wholeNumber(m_options.maxAttempts);
        if (!attempts || *attempts < 1)
            return fail(tr("--max-attempts: expected a whole number >= 1"));
        m_settings.maxAttempts = *attempts;
        return true;
    }

    bool readSharedBudget()
    {
        if (!isSet(m_options.sharedBudget))
            return true;
        QString urlError; // never echoes the URL: it may carry a password
        const auto url = budget::RedisUrl::parse(value(m_options.sharedBudget), &urlError);
        if (!url)
            return fail(urlError);
        // The command line is readable by every user of the machine (ps, /proc/PID/cmdline).
        if (!url->password.isEmpty())
            return fail(tr("--shared-budget: no password in the URL (every user of this machine can read "
                           "the command line); give it in HEADROOM_REDIS_PASSWORD"));
        m_settings.sharedBudget = value(m_options.sharedBudget);
        m_settings.insecureRedis = isSet(m_options.insecureRedis);
        return true;
    }

    bool readChangeMode()
    {
        const std::pair<const QCommandLineOption *, state::ChangeMode> modes[] = {
            {&m_options.changedOnly, state::ChangeMode::ChangedOnly},
            {&m_options.onlyNew, state::ChangeMode::OnlyNew},
            {&m_options.onlyExisting, state::ChangeMode::OnlyExisting},
        };
        int given = 0;
        for (const auto &[option, mode] : modes) {
            if (isSet(*option)) {
                m_settings.changeMode = mode;
                ++given;
            }
        }
        if (given > 1)
            return fail(tr("--changed-only, --only-new and --only-existing exclude each other"));
        if (isSet(m_options.stateDir))
            m_settings.stateDir = QFileInfo(value(m_options.stateDir)).absoluteFilePath();
        return true;
    }

    const RunOptions &m_options;
    const QCommandLineParser &m_parser;
    run::RunSettings m_settings;
    QString m_error;
};

// A resume takes its settings from run.json: it needs the directory and
// refuses options that would contradict the file.
bool checkResume(const RunOptions &options, const QCommandLineParser &parser, RunArguments &arguments,
                 QString *error)
{
    if (arguments.runDir.isEmpty()) {
        *error = tr("--resume needs --run-dir");
        return false;
    }
    for (const QCommandLineOption *option : options.keptByResume()) {
        if (parser.isSet(*option)) {
            *error = tr("--%1: a resumed run keeps the settings of its run.json").arg(option->names().constFirst());
            return false;
        }
    }
    // run.json may have been edited: the resumer's credentials go only
    // where the profile sends, or where the operator says again.
    if (parser.isSet(options.limits))
        arguments.limitsFile = QFileInfo(parser.value(options.limits)).absoluteFilePath();
    if (parser.isSet(options.baseUrl))
        arguments.confirmedBaseUrl = QUrl(parser.value(options.baseUrl), QUrl::StrictMode);
    return true;
}

bool readReporting(const RunOptions &options, const QCommandLineParser &parser, ProgressLine::Mode detected,
                   RunArguments &arguments, QString *error)
{
    if (!arguments.resuming || parser.isSet(options.giveUpAfter)) {
        const auto giveUp = DurationText::parse(parser.value(options.giveUpAfter));
        if (!giveUp || *giveUp <= Duration::zero()) {
            *error = tr("--give-up-after: expected a duration such as 90s, 30m or 2h, got '%1'")
                         .arg(parser.value(options.giveUpAfter));
            return false;
        }
        arguments.giveUpAfter = *giveUp;
    }
    const auto mode = ProgressLine::modeFromName(parser.value(options.progress), detected);
    if (!mode) {
        *error = tr("--progress: expected auto, tty, plain or none");
        return false;
    }
    arguments.progressMode = *mode;
    bool ok = false;
    arguments.progressInterval = parser.value(options.progressInterval).toDouble(&ok);
    if (!ok || arguments.progressInterval < 0) {
        *error = tr("--progress-interval: expected seconds >= 0");
        return false;
    }
    arguments.summaryPath = parser.value(options.summary);
    arguments.logCsv = parser.isSet(options.logCsv);
    return true;
}

} // namespace

std::optional<run::RunSettings> parseRunSettings(const RunOptions &options, const QCommandLineParser &parser,
                                                 QString *error)
{
    return SettingsReader(options, parser).read(error);
}

std::optional<RunArguments> RunArguments::parse(const RunOptions &options, const QCommandLineParser &parser,
                                                ProgressLine::Mode detected, QString *error)
{
    RunArguments arguments;
    arguments.resuming = parser.isSet(options.resume);
    arguments.runDir = parser.value(options.runDir);
    if (arguments.resuming) {
        if (!checkResume(options, parser, arguments, error))
            return std::nullopt;
    } else {
        const auto settings = parseRunSettings(options, parser, error);
        if (!settings)
            return std::nullopt;
        arguments.settings = *settings;
    }
    if (!readReporting(options, parser, detected, arguments, error))
        return std::nullopt;
    if (!arguments.resuming && arguments.giveUpAfter)
        arguments.settings.giveUpAfter = *arguments.giveUpAfter;
    return arguments;
}

} // namespace headroom::cli
