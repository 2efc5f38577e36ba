#include "CliCommands.h"

#include <QCoreApplication>
#include <QTextStream>

namespace headroom::cli {

int sandboxCommand(const QStringList &args)
{
    Q_UNUSED(args);
    QTextStream(stderr) << QCoreApplication::translate("cli",
        "headroom-cli: 'sandbox' is not implemented in this build yet.\n");
    return ExitInternal;
}

} // namespace headroom::cli
