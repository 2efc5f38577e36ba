// headroom-cli resume: continue a run that was killed, interrupted or drained.
#include "app/cli/CliCommands.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace headroom::cli {

// `resume --run-dir D [--summary OUT.json] [--progress MODE] ...` is
// `run --resume --run-dir D ...`: one code path, so a resumed run behaves
// (flags, files, exit codes) exactly like the run it continues.
int resumeCommand(const QStringList &args)
{
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        QTextStream(stdout) << QCoreApplication::translate("cli",
                                                           "Usage: headroom-cli resume --run-dir D [--summary OUT.json] [--progress MODE] [--log-csv]\n"
                                                           "                           [--give-up-after DURATION] [--base-url URL] [--limits FILE.json]\n"
                                                           "Continues the run in D with the settings of its run.json: rows the journal records as done\n"
                                                           "or dead-lettered are skipped; rows that were in flight are sent again (at least once).\n"
                                                           "It says where it sends; a base URL other than the profile's default (or the sandbox) is\n"
                                                           "refused unless --base-url repeats it, since run.json can be edited by anyone who can write D.\n"
                                                           "--give-up-after replaces the run's bound (exit status 4 when no row finishes for that long);\n"
                                                           "--limits replaces the run's limits file (otherwise the one run.json names is read again).\n");
        return ExitOk;
    }
    return runCommand(QStringList{QStringLiteral("--resume")} + args);
}

} // namespace headroom::cli
