#include "CliCommands.h"

#include <QCoreApplication>
#include <QTextStream>

namespace headroom::cli {

int resumeCommand(const QStringList &args)
{
    Q_UNUSED(args);
    QTextStream(stderr) << QCoreApplication::translate("cli",
        "headroom-cli: 'resume' is not implemented in this build yet.\n");
    return ExitInternal;
}

} // namespace headroom::cli
