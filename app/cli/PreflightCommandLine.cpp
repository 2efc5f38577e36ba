#include "app/cli/PreflightCommandLine.h"

#include "core/clock/DurationText.h"
#include "core/imports/ImportProfile.h"
#include "core/imports/Mapping.h"
#include "core/imports/RecordReader.h"
#include "core/scopes/LimitsFile.h"
#include "core/scopes/ProfileScopes.h"

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
{
    m_parser.setApplicationDescription(tr("Check an import file without sending anything."));
    m_parser.addOptions({m_profile, m_file, m_mapping, m_format, m_rate, m_window, m_limits, m_json, m_strict});
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
                    && readLimits();
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

} // namespace headroom::cli
