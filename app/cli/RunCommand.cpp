#include "CliCommands.h"

#include <QCoreApplication>
#include <QTextStream>

namespace headroom::cli {

int runCommand(const QStringList &args)
{
    Q_UNUSED(args);
    QTextStream(stderr) << QCoreApplication::translate("cli",
        "headroom-cli: 'run' is not implemented in this build yet.\n");
    return ExitInternal;
}

} // namespace headroom::cli
