#include "CliCommands.h"

#include <QCoreApplication>
#include <QTextStream>

namespace headroom::cli {

int preflightCommand(const QStringList &args)
{
    Q_UNUSED(args);
    QTextStream(stderr) << QCoreApplication::translate("cli",
        "headroom-cli: 'preflight' is not implemented in this build yet.\n");
    return ExitInternal;
}

} // namespace headroom::cli
