#pragma once

#include <QStringList>

// Each headroom-cli subcommand is one function taking the arguments after its
// name and returning the process exit status, one of ExitCode.
namespace headroom::cli {

enum ExitCode {
    ExitOk = 0,
    ExitInternal = 1,
    ExitUsage = 2,
    ExitDeadLetters = 3,
    ExitGaveUp = 4, // no row finished for --give-up-after; the run is resumable
    ExitInterrupted = 130,
};

int runCommand(const QStringList &args);
int resumeCommand(const QStringList &args);
int preflightCommand(const QStringList &args);
int sandboxCommand(const QStringList &args);
int stateCommand(const QStringList &args);

} // namespace headroom::cli
