// headroom-cli — the headless twin of the console, for cron and CI.
#include "app/cli/CliCommands.h"
#include "core/version/Version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace {

using namespace headroom::cli;

QString commandsHelp()
{
    return QCoreApplication::translate("cli",
                                       "Commands:\n"
                                       "  run        --profile P --file F [--base-url URL] [--rate N] [--window 1s]\n"
                                       "             [--concurrency N] [--batch] [--run-dir D] [--summary OUT.json]\n"
                                       "             [--sandbox] [--strategy auto|fixed|headers|discover] [--mapping M.json]\n"
                                       "             [--give-up-after 30m] [--limits FILE.json]\n"
                                       "             [--changed-only | --only-new | --only-existing] [--state-dir DIR]\n"
                                       "  resume     --run-dir D [--limits FILE.json]\n"
                                       "  preflight  --profile P --file F [--mapping M.json] [--rate N] [--window W] [--limits FILE.json]\n"
                                       "             [--json] [--strict] [--changed-only | --only-new | --only-existing\n"
                                       "             --base-url URL | --sandbox] [--state-dir DIR]\n"
                                       "  sandbox    [--port N] [--config C]\n"
                                       "  state      list | show --destination D | forget --destination D [--state-dir DIR]\n"
                                       "\n"
                                       "Profiles: customerio-track, customerio-app, customerio-pipelines, segment-public, segment-tracking, generic.\n"
                                       "Credentials come from the environment only: HEADROOM_SITE_ID, HEADROOM_API_KEY,\n"
                                       "HEADROOM_TOKEN, HEADROOM_WRITE_KEY.\n"
                                       "Exit status: 0 all rows done, 3 finished with dead letters, 4 gave up (no row\n"
                                       "finished for --give-up-after; resume with headroom-cli resume --run-dir D),\n"
                                       "2 bad usage or unreadable input, 1 internal error, 130 interrupted.\n");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("headroom-cli"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(headroom::kVersion));
    QCoreApplication::setOrganizationDomain(QString::fromLatin1(headroom::kOrganizationDomain));

    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("cli",
                                                                 "Headroom command line: run imports into rate-limited APIs at the limit.\n\n")
                                     + commandsHelp());
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QCoreApplication::translate("cli", "run, resume, preflight, sandbox or state"));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    if (args.isEmpty()) {
        err << QCoreApplication::translate("cli", "headroom-cli: no command given.\n\n") << commandsHelp();
        return ExitUsage;
    }
    const QString command = args.first();
    const QStringList rest = args.mid(1);
    if (command == QLatin1String("run"))
        return runCommand(rest);
    if (command == QLatin1String("resume"))
        return resumeCommand(rest);
    if (command == QLatin1String("preflight"))
        return preflightCommand(rest);
    if (command == QLatin1String("sandbox"))
        return sandboxCommand(rest);
    if (command == QLatin1String("state"))
        return stateCommand(rest);
    err << QCoreApplication::translate("cli", "headroom-cli: unknown command '%1'.\n\n").arg(command)
        << commandsHelp();
    return ExitUsage;
}
