// headroom-cli preflight: read a whole import the way a run would, send nothing,
// and report what would happen.
//
// Exit status: 0 the file was read (bad rows, if any, are listed and counted:
// the operator decides whether to run anyway); 3 with --strict when any row is
// bad or an id repeats (those rows would end as dead letters); 2 bad usage or
// a file that cannot be read at all (missing, empty, no id column, ...).
#include "CliCommands.h"

#include "clock/DurationText.h"
#include "imports/ImportProfile.h"
#include "imports/Mapping.h"
#include "imports/Preflight.h"
#include "imports/RecordReader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

namespace headroom::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

} // namespace

int preflightCommand(const QStringList &args)
{
    using namespace headroom::imports;
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Check an import file without sending anything."));
    const QCommandLineOption profileOpt(QStringLiteral("profile"), tr("API profile: %1.").arg(ImportProfile::names().join(QLatin1String(", "))), QStringLiteral("P"));
    const QCommandLineOption fileOpt(QStringLiteral("file"), tr("Import file (CSV, JSON Lines or a JSON array)."), QStringLiteral("F"));
    const QCommandLineOption mappingOpt(QStringLiteral("mapping"), tr("Mapping file (JSON) from columns to operations."), QStringLiteral("M.json"));
    const QCommandLineOption formatOpt(QStringLiteral("format"), tr("Input format: csv, jsonl or json (default: from the extension and content)."), QStringLiteral("FORMAT"));
    const QCommandLineOption rateOpt(QStringLiteral("rate"), tr("Requests per window the run will use (default 100)."), QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption windowOpt(QStringLiteral("window"), tr("Rate window, e.g. 1s, 500ms, 1m (default 1s)."), QStringLiteral("W"), QStringLiteral("1s"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), tr("Print the report as JSON."));
    const QCommandLineOption strictOpt(QStringLiteral("strict"), tr("Exit 3 when any row is bad or an id repeats."));
    parser.addOptions({profileOpt, fileOpt, mappingOpt, formatOpt, rateOpt, windowOpt, jsonOpt, strictOpt});
    parser.addHelpOption();

    QStringList argv = args;
    argv.prepend(QStringLiteral("headroom-cli preflight"));
    if (!parser.parse(argv)) {
        err << tr("headroom-cli preflight: %1\n").arg(parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return ExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << tr("headroom-cli preflight: unexpected argument '%1'\n").arg(parser.positionalArguments().first());
        return ExitUsage;
    }
    if (!parser.isSet(profileOpt) || !parser.isSet(fileOpt)) {
        err << tr("headroom-cli preflight: --profile and --file are required\n") << parser.helpText();
        return ExitUsage;
    }
    const QString profile = parser.value(profileOpt);
    if (!ImportProfile::fromName(profile)) {
        err << tr("headroom-cli preflight: unknown profile '%1' (expected one of: %2)\n")
                   .arg(profile, ImportProfile::names().join(QLatin1String(", ")));
        return ExitUsage;
    }
    bool rateOk = false;
    const double rate = parser.value(rateOpt).toDouble(&rateOk);
    if (!rateOk || rate <= 0) {
        err << tr("headroom-cli preflight: --rate must be a positive number\n");
        return ExitUsage;
    }
    const auto windowDuration = DurationText::parse(parser.value(windowOpt));
    const double window = windowDuration ? std::chrono::duration<double>(*windowDuration).count() : -1;
    if (window <= 0) {
        err << tr("headroom-cli preflight: --window must be a duration such as 1s, 500ms or 1m\n");
        return ExitUsage;
    }

    PreflightOptions options;
    options.source.filePath = parser.value(fileOpt);
    options.source.profile = profile;
    options.rate = rate;
    options.windowSeconds = window;
    if (const auto format = RecordReader::formatFromName(parser.value(formatOpt))) {
        options.source.format = *format;
    } else {
        err << tr("headroom-cli preflight: --format must be csv, jsonl or json\n");
        return ExitUsage;
    }
    if (parser.isSet(mappingOpt)) {
        QString error;
        options.source.mapping = Mapping::fromFile(parser.value(mappingOpt), &error);
        if (!options.source.mapping) {
            err << tr("headroom-cli preflight: %1\n").arg(error);
            return ExitUsage;
        }
        if (!Mapping::supports(*ImportProfile::fromName(profile), options.source.mapping->operation)) {
            err << tr("headroom-cli preflight: operation '%1' does not exist on profile %2\n")
                       .arg(Mapping::operationName(options.source.mapping->operation), profile);
            return ExitUsage;
        }
    }

    QElapsedTimer timer;
    timer.start();
    const PreflightReport report = Preflight::run(options);
    const double elapsed = double(timer.nsecsElapsed()) / 1e9;

    if (parser.isSet(jsonOpt)) {
        out << QString::fromUtf8(report.toJson());
    } else {
        // A file that cannot be read is an error, not a report: stderr.
        (report.fatal ? err : out) << report.toText();
        if (!report.fatal && elapsed > 0)
            out << tr("Checked in %1 s (%2 rows/s).\n")
                       .arg(elapsed, 0, 'f', 2)
                       .arg(qint64(double(report.rows) / elapsed));
    }
    out.flush();
    if (report.fatal) {
        if (parser.isSet(jsonOpt))
            err << tr("headroom-cli preflight: %1\n").arg(report.fatal->toText());
        return ExitUsage;
    }
    if (parser.isSet(strictOpt) && (report.badRows > 0 || report.duplicateIds > 0))
        return ExitDeadLetters;
    return ExitOk;
}

} // namespace headroom::cli
