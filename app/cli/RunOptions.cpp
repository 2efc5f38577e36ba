#include "app/cli/RunOptions.h"

#include "core/apis/ApiProfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace headroom::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("cli", text);
}

QCommandLineOption flag(const char *name, const QString &description)
{
    return QCommandLineOption(QString::fromLatin1(name), description);
}

QCommandLineOption valued(const char *name, const QString &description, const char *valueName,
                          const char *defaultValue = nullptr)
{
    QCommandLineOption option(QString::fromLatin1(name), description, QString::fromLatin1(valueName));
    if (defaultValue)
        option.setDefaultValue(QString::fromLatin1(defaultValue));
    return option;
}

} // namespace

RunOptions::RunOptions()
    : profile(valued("profile", tr("API profile: %1.").arg(apis::ApiProfile::names().join(QStringLiteral(", "))), "P"))
    , file(valued("file", tr("Import file (CSV, JSON Lines, JSON array or request file)."), "F"))
    , mapping(valued("mapping", tr("Mapping file (JSON)."), "M.json"))
    , limits(valued("limits",
                    tr("Limits file (JSON) that adds or overrides the profile's rate scopes (per endpoint, per resource, "
                       "several windows); --rate/--window still set the main scope. A resume keeps the run's unless given."),
                    "FILE.json"))
    , format(valued("format", tr("Input format: csv, jsonl or json (default: detect)."), "FORMAT"))
    , baseUrl(valued("base-url", tr("API base URL (default: the profile's)."), "URL"))
    , region(valued("region", tr("Region of the profile's API: us or eu."), "R"))
    , sandbox(flag("sandbox", tr("Send to an embedded local sandbox instead of the real API.")))
    , rate(valued("rate", tr("Requests allowed per window (default: the profile's documented limit)."), "N"))
    , window(valued("window", tr("Length of the rate window, e.g. 1s, 200ms, 10s."), "W"))
    , strategy(valued("strategy", tr("auto, fixed, headers or discover (default auto)."), "S", "auto"))
    , tokenBucket(flag("token-bucket", tr("Pace with a token bucket (GCRA) instead of an exact sliding window.")))
    , margin(valued("margin", tr("Arrival jitter the sliding window allows for (default 5ms, raised after a 429)."), "T"))
    , burst(valued("burst", tr("Token bucket burst."), "N", "0"))
    , concurrency(valued("concurrency", tr("Requests in flight at most (default: from the rate)."), "N"))
    , batch(flag("batch", tr("Pack rows into the API's batch endpoint.")))
    , timeout(valued("timeout", tr("Per-request transfer timeout (default 30s)."), "T", "30s"))
    , giveUpAfter(valued("give-up-after",
                         tr("Stop the run when no row was done or dead-lettered for this long while work remains, e.g. 90s, "
                            "30m, 2h (default 30m; a resume keeps the run's unless given). Exit status 4; the unfinished rows "
                            "stay for 'headroom-cli resume'."),
                         "DURATION", "30m"))
    , maxAttempts(valued("max-attempts",
                         tr("Attempts per request, the first included (default 5). Throttling (429) spends none: a server that "
                            "throttles every request, even with Retry-After: 0, is asked less and less often (waits grow from "
                            "250 ms to 30 s) and only --give-up-after ends the run."),
                         "N", "5"))
    , sharedBudget(valued("shared-budget",
                          tr("Draw from a rate budget shared with other Headroom processes through Redis: "
                             "redis://HOST:PORT/DB?key=NAME or rediss:// for TLS (one key per workspace and API; a password from "
                             "HEADROOM_REDIS_PASSWORD, never in the URL)."),
                          "URL"))
    , resendAmbiguous(flag("resend-ambiguous",
                           tr("Send again an attempt that may have been applied (timeout or connection lost after sending, a 5xx) "
                              "even where the API cannot drop the copy (transactional sends, broadcast triggers). Without it such "
                              "rows become dead letters marked \"may have been applied\".")))
    , insecureRedis(flag("insecure-redis",
                         tr("Allow the Redis password in clear over the network (redis:// to a host other than this machine).")))
    , changedOnly(flag("changed-only",
                       tr("Send only the rows whose mapped payload the destination has not accepted as it is now "
                          "(its state store records what every run's server accepted). Kept for a resume.")))
    , onlyNew(flag("only-new", tr("Send only the rows whose person (identity) the destination never accepted.")))
    , onlyExisting(flag("only-existing",
                        tr("Send only the rows whose person (identity) the destination accepted before.")))
    , stateDir(valued("state-dir",
                      tr("Directory of the destinations' state stores (default: HEADROOM_STATE_DIR, else the "
                         "application data directory's state/)."),
                      "DIR"))
    , runDir(valued("run-dir",
                    tr("Run directory (run.json, journal, dead letters, run log, summary); default: a new one under the "
                       "application data directory."),
                    "D"))
    , resume(flag("resume",
                  tr("Continue the run in --run-dir: settings from its run.json, finished rows skipped (same as "
                     "headroom-cli resume).")))
    , logCsv(flag("log-csv", tr("Also export the run log to requests.csv in the run directory.")))
    , summary(valued("summary", tr("Write the summary JSON here."), "OUT.json"))
    , progress(valued("progress", tr("auto, tty, plain or none (default auto)."), "MODE", "auto"))
    , progressInterval(valued("progress-interval", tr("Seconds between plain progress lines (default 5)."), "S", "5"))
{
}

void RunOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({profile, file, mapping, limits, format, baseUrl, region, sandbox, rate, window, strategy,
                       tokenBucket, burst, margin, concurrency, batch, resendAmbiguous, timeout, giveUpAfter, maxAttempts,
                       sharedBudget, insecureRedis, changedOnly, onlyNew, onlyExisting, stateDir, runDir, resume, logCsv, summary, progress, progressInterval});
}

QList<const QCommandLineOption *> RunOptions::keptByResume() const
{
    return {&profile, &file, &mapping, &format, &region, &sandbox, &rate, &window, &concurrency, &batch,
            &resendAmbiguous, &sharedBudget, &insecureRedis, &changedOnly, &onlyNew, &onlyExisting, &stateDir};
}

} // namespace headroom::cli
