#include "app/cli/CliCommands.h"

#include "core/sandbox/SandboxCommandLine.h"

namespace headroom::cli {

// `headroom-cli sandbox ...` is headroom-sandbox itself: one implementation in core/sandbox.
int sandboxCommand(const QStringList &args)
{
    return headroom::sandbox::runSandboxCommandLine(QStringList{QStringLiteral("headroom-cli sandbox")} + args);
}

} // namespace headroom::cli
