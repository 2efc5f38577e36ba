#pragma once

#include "app/cli/ProgressLine.h"
#include "app/cli/RunOptions.h"

#include "core/clock/Clock.h"
#include "core/run/RunSettings.h"

#include <QString>
#include <QUrl>

#include <optional>

class QCommandLineParser;

namespace headroom::cli {

// What the command line of `headroom-cli run` (and `resume`) asks for, checked
// before anything touches the run directory or the network. Errors are the
// usage messages the command prints after "headroom-cli run: ".
struct RunArguments
{
    bool resuming = false;
    QString runDir;                       // empty: a new directory under the application data
    run::RunSettings settings;            // a new run's; a resume reads its run.json instead
    std::optional<QUrl> confirmedBaseUrl; // resume: the base URL the operator repeats
    std::optional<Duration> giveUpAfter;  // resume: replaces the run's bound when given
    std::optional<QString> limitsFile;    // resume: replaces the run's limits file when given
    ProgressLine::Mode progressMode = ProgressLine::Mode::Off;
    double progressInterval = 5.0;
    QString summaryPath;
    bool logCsv = false;

    // `detected` is the progress mode "auto" stands for.
    static std::optional<RunArguments> parse(const RunOptions &options, const QCommandLineParser &parser,
                                             ProgressLine::Mode detected, QString *error);
};

// The settings of a new run, option by option; `error` names the first bad one.
std::optional<run::RunSettings> parseRunSettings(const RunOptions &options, const QCommandLineParser &parser,
                                                 QString *error);

} // namespace headroom::cli
