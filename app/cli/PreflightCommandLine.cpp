#include "app/cli/PreflightCommandLine.h"

#include "core/clock/DurationText.h"
#include "core/imports/ImportProfile.h"
#include "core/imports/Mapping.h"
#include "core/imports/RecordReader.h"
#include "core/scopes/LimitsFile.h"
#include "core/scopes/ProfileScopes.h"
#include "core/run/RunPlan.h"
#include "core/state/StateLocation.h"

#include <QFileInfo>
#include <QProcessEnvironment>

#include <QCoreApplication>

namespace headroom::cli {

namespace {

using namespace headroom::imports;

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

QString profileNames()
{
    return ImportProfile::names().join(QLatin1String(", "));
}

} // namespace

PreflightCommandLine::PreflightCommandLine()
    : m_profile(QStringLiteral("profile"), tr("API profile: %1.").arg(profileNames()), QStringLiteral("P"))
    , m_file(QStringLiteral("file"), tr("Import file (CSV, JSON Lines or a JSON array)."), QStringLiteral("F"))
    , m_mapping(QStringLiteral("mapping"), tr("Mapping file (JSON) from columns to operations."), QStringLiteral("M.json"))
    , m_format(QStringLiteral("format"), tr("Input format: csv, jsonl or json (default: from the extension and content)."), QStringLiteral("FORMAT"))
    , m_rate(QStringLiteral("rate"), tr("Requests per window the run will use (default 100)."), QStringLiteral("N"), QStringLiteral("100"))
    , m_window(QStringLiteral("window"), tr("Rate window, e.g. 1s, 500ms, 1m (default 1s)."), QStringLiteral("W"), QStringLiteral("1s"))
    , m_limits(QStringLiteral("limits"), tr("Limits file (JSON) of rate scopes to check and list with the report."),
               QStringLiteral("FILE.json"))
    , m_json(QStringLiteral("json"), tr("Print the report as JSON."))
    , m_strict(QStringLiteral("strict"), tr("Exit 3 when any row is bad or an id repeats."))
    , m_changedOnly(QStringLiteral("changed-only"),
                    tr("Also count the rows a --changed-only run would send and skip (the destination's store)."))
    , m_onlyNew(QStringLiteral("only-new"), tr("Also count the rows an --only-new run would send and skip."))
    , m_onlyExisting(QStringLiteral("only-existing"),
                     tr("Also count the rows an --only-existing run would send and skip."))
    , m_baseUrl(QStringLiteral("base-url"), tr("With a change mode: the run's base URL (its destination)."),
                QStringLiteral("URL"))
    , m_sandbox(QStringLiteral("sandbox"), tr("With a change mode: the run goes to a local sandbox."))
    , m_region(QStringLiteral("region"), tr("With a change mode: the region of the profile's API (us or eu)."),
               QStringLiteral("R"))
    , m_stateDir(QStringLiteral("state-dir"), tr("Directory of the state stores."), QStringLiteral("DIR"))
{
    m_parser.setApplicationDescription(tr("Check an import file without sending anything."));
    m_parser.addOptions({m_profile, m_file, m_mapping, m_format, m_rate, m_window, m_limits, m_json, m_strict,
                         m_changedOnly, m_onlyNew, m_onlyExisting, m_baseUrl, m_sandbox, m_region, m_stateDir});
    m_parser.addHelpOption();
}

PreflightCommandLine::Outcome PreflightCommandLine::parse(const QStringList &args)
{
    m_error.clear();
    m_errorNeedsHelp = false;
    if (!m_parser.parse(QStringList{QStringLiteral("headroom-cli preflight")} + args)) {
        m_error = m_parser.errorText();
        return Outcome::Usage;
    }
    if (m_parser.isSet(QStringLiteral("help")))
        return Outcome::Help;
    const bool ok = readRequired() && readProfile() && readRate() && readWindow() && readFormat() && readMapping()
                    && readLimits() && readChangeMode();
    return ok ? Outcome::Check : Outcome::Usage;
}

QString PreflightCommandLine::helpText() const
{
    return m_parser.helpText();
}

bool PreflightCommandLine::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool PreflightCommandLine::readRequired()
{
    if (!m_parser.positionalArguments().isEmpty())
        return fail(tr("unexpected argument '%1'").arg(m_parser.positionalArguments().constFirst()));
    if (!m_parser.isSet(m_profile) || !m_parser.isSet(m_file)) {
        m_errorNeedsHelp = true;
        return fail(tr("--profile and --file are required"));
    }
    m_options.source.filePath = m_parser.value(m_file);
    return true;
}

bool PreflightCommandLine::readProfile()
{
    const QString profile = m_parser.value(m_profile);
    if (!ImportProfile::fromName(profile))
        return fail(tr("unknown profile '%1' (expected one of: %2)").arg(profile, profileNames()));
    m_options.source.profile = profile;
    return true;
}

bool PreflightCommandLine::readRate()
{
    bool ok = false;
    m_options.rate = m_parser.value(m_rate).toDouble(&ok);
    if (!ok || m_options.rate <= 0)
        return fail(tr("--rate must be a positive number"));
    return true;
}

bool PreflightCommandLine::readWindow()
{
    const auto window = DurationText::parse(m_parser.value(m_window));
    m_options.windowSeconds = window ? std::chrono::duration<double>(*window).count() : -1;
    if (m_options.windowSeconds <= 0)
        return fail(tr("--window must be a duration such as 1s, 500ms or 1m"));
    return true;
}

bool PreflightCommandLine::readFormat()
{
    const auto format = RecordReader::formatFromName(m_parser.value(m_format));
    if (!format)
        return fail(tr("--format must be csv, jsonl or json"));
    m_options.source.format = *format;
    return true;
}

bool PreflightCommandLine::readMapping()
{
    if (!m_parser.isSet(m_mapping))
        return true;
    QString error;
    m_options.source.mapping = Mapping::fromFile(m_parser.value(m_mapping), &error);
    if (!m_options.source.mapping)
        return fail(error);
    if (!Mapping::supports(*ImportProfile::fromName(m_options.source.profile), m_options.source.mapping->operation))
        return fail(tr("operation '%1' does not exist on profile %2")
                        .arg(Mapping::operationName(m_options.source.mapping->operation), m_options.source.profile));
    return true;
}

bool PreflightCommandLine::readLimits()
{
    m_scopes = scopes::ProfileScopes::forProfile(m_options.source.profile);
    if (!m_parser.isSet(m_limits))
        return true;
    const scopes::LimitsResult limits =
        scopes::LimitsFile::load(m_parser.value(m_limits), m_options.source.profile, m_scopes);
    if (!limits.ok())
        return fail(limits.errors.join(QLatin1Char('\n')));
    m_scopes = limits.scopes;
    return true;
}

// The destination is what a run would send to: the same plan, so the same
// store. The sandbox's port is not part of a destination, so any will do.
bool PreflightCommandLine::readChangeMode()
{
    int given = 0;
    for (const auto &[option, mode] : {std::pair{&m_changedOnly, state::ChangeMode::ChangedOnly},
                                       std::pair{&m_onlyNew, state::ChangeMode::OnlyNew},
                                       std::pair{&m_onlyExisting, state::ChangeMode::OnlyExisting}}) {
        if (m_parser.isSet(*option)) {
            m_changeMode = mode;
            ++given;
        }
    }
    if (given > 1)
        return fail(tr("--changed-only, --only-new and --only-existing exclude each other"));
    if (given == 0)
        return true;
    run::RunSettings settings;
    settings.profile = m_options.source.profile;
    settings.file = m_options.source.filePath;
    if (m_parser.isSet(m_mapping))
        settings.mappingFile = QFileInfo(m_parser.value(m_mapping)).absoluteFilePath();
    settings.format = m_parser.value(m_format);
    settings.region = m_parser.value(m_region);
    settings.sandbox = m_parser.isSet(m_sandbox);
    if (m_parser.isSet(m_baseUrl))
        settings.baseUrl = QUrl(m_parser.value(m_baseUrl), QUrl::StrictMode);
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QString error;
    const std::optional<run::RunPlan> plan =
        run::RunPlan::build(settings, env, settings.sandbox ? std::optional<quint16>(1) : std::nullopt, &error);
    if (!plan)
        return fail(error);
    m_runSource = plan->sourceOptions;
    m_storePath = state::StateLocation::storePath(state::StateLocation::directory(m_parser.value(m_stateDir), env),
                                                  m_runSource.destination);
    return true;
}

} // namespace headroom::cli
