#pragma once

#include <QCommandLineOption>
#include <QList>

class QCommandLineParser;

namespace headroom::cli {

// The options of `headroom-cli run`, declared once: `resume` is `run --resume`
// and parses the same set, and the parsing functions read them by declaration
// rather than by a repeated name.
struct RunOptions
{
    RunOptions();

    void addTo(QCommandLineParser &parser) const;
    // Settings a resumed run takes from its run.json and so refuses here.
    QList<const QCommandLineOption *> keptByResume() const;

    const QCommandLineOption profile;
    const QCommandLineOption file;
    const QCommandLineOption mapping;
    const QCommandLineOption limits;
    const QCommandLineOption format;
    const QCommandLineOption baseUrl;
    const QCommandLineOption region;
    const QCommandLineOption sandbox;
    const QCommandLineOption rate;
    const QCommandLineOption window;
    const QCommandLineOption strategy;
    const QCommandLineOption tokenBucket;
    const QCommandLineOption margin;
    const QCommandLineOption burst;
    const QCommandLineOption concurrency;
    const QCommandLineOption batch;
    const QCommandLineOption timeout;
    const QCommandLineOption giveUpAfter;
    const QCommandLineOption maxAttempts;
    const QCommandLineOption sharedBudget;
    const QCommandLineOption resendAmbiguous;
    const QCommandLineOption insecureRedis;
    const QCommandLineOption changedOnly;
    const QCommandLineOption onlyNew;
    const QCommandLineOption onlyExisting;
    const QCommandLineOption stateDir;
    const QCommandLineOption runDir;
    const QCommandLineOption resume;
    const QCommandLineOption logCsv;
    const QCommandLineOption summary;
    const QCommandLineOption progress;
    const QCommandLineOption progressInterval;
};

} // namespace headroom::cli
