#include "app/cli/InterruptGuard.h"
#include "app/cli/ProgressLine.h"
#include "app/cli/RunArguments.h"
#include "app/cli/RunOptions.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <signal.h>

using namespace headroom;
using namespace headroom::cli;

namespace {

struct Parsed
{
    std::optional<RunArguments> arguments;
    QString error;
};

// The command line as `headroom-cli run` reads it; `detected` is what
// --progress auto stands for.
Parsed parse(const QStringList &args, ProgressLine::Mode detected = ProgressLine::Mode::Plain)
{
    const RunOptions options;
    QCommandLineParser parser;
    options.addTo(parser);
    parser.addHelpOption();
    if (!parser.parse(QStringList{QStringLiteral("headroom-cli run")} + args))
        return {std::nullopt, parser.errorText()};
    Parsed parsed;
    parsed.arguments = RunArguments::parse(options, parser, detected, &parsed.error);
    return parsed;
}

} // namespace

class tst_RunArguments : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void usageErrors_data();
    void usageErrors();
    void deadLetterFiles_data();
    void deadLetterFiles();
    void settings_data();
    void settings();
    void progressModes_data();
    void progressModes();
    void resumeKeepsTheRunsGiveUpUnlessGiven();
    void interruptGuardCountsAndRestores();

private:
    QTemporaryDir m_dir;
    QString m_csv;
};

void tst_RunArguments::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_csv = m_dir.filePath(QStringLiteral("rows.csv"));
    QFile csv(m_csv);
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("id,email\n1,a@example.com\n");
}

void tst_RunArguments::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    const QStringList base{QStringLiteral("--profile"), QStringLiteral("generic"), QStringLiteral("--file"), QStringLiteral("@CSV@")};
    auto row = [&base](const char *name, const QStringList &extra, const QString &message) {
        QTest::newRow(name) << base + extra << message;
    };
    QTest::newRow("unknown option") << QStringList{"--nope"} << "Unknown option 'nope'.";
    QTest::newRow("missing value") << QStringList{"--rate"} << "Missing value after '--rate'.";
    QTest::newRow("no file") << QStringList{"--profile", "generic"} << "--profile and --file are required (see --help)";
    QTest::newRow("no profile") << QStringList{"--file", "@CSV@"} << "--profile and --file are required (see --help)";
    row("sandbox and base url", {"--sandbox", "--base-url", "http://x"}, "--sandbox and --base-url exclude each other");
    row("base url not a url", {"--base-url", "http://exa mple"}, "--base-url: 'http://exa mple' is not a URL");
    row("rate zero", {"--rate", "0"}, "--rate: expected a positive whole number, got '0'");
    row("rate text", {"--rate", "ten"}, "--rate: expected a positive whole number, got 'ten'");
    row("rate fraction", {"--rate", "2.5"}, "--rate: expected a positive whole number, got '2.5'");
    row("window zero", {"--window", "0s"}, "--window: expected a duration such as 1s or 200ms, got '0s'");
    row("window text", {"--window", "soon"}, "--window: expected a duration such as 1s or 200ms, got 'soon'");
    row("strategy", {"--strategy", "greedy"}, "--strategy: expected auto, fixed, headers or discover");
    row("burst negative", {"--burst", "-1"}, "--burst: expected a whole number >= 0");
    row("concurrency zero", {"--concurrency", "0"}, "--concurrency: expected 1 to 1024");
    row("concurrency too many", {"--concurrency", "1025"}, "--concurrency: expected 1 to 1024");
    row("margin", {"--margin", "wide"}, "--margin: expected a duration such as 20ms");
    row("timeout zero", {"--timeout", "0ms"}, "--timeout: expected a duration such as 30s");
    row("max attempts zero", {"--max-attempts", "0"}, "--max-attempts: expected a whole number >= 1");
    row("shared budget scheme", {"--shared-budget", "http://h:6379/0?key=k"},
        "--shared-budget: expected redis://HOST:PORT/DB?key=NAME or rediss://HOST:PORT/DB?key=NAME");
    row("shared budget password", {"--shared-budget", "redis://:secret@h:6379/0?key=k"},
        "--shared-budget: no password in the URL (every user of this machine can read the command line); "
        "give it in HEADROOM_REDIS_PASSWORD");
    row("give up zero", {"--give-up-after", "0s"}, "--give-up-after: expected a duration such as 90s, 30m or 2h, got '0s'");
    row("progress", {"--progress", "loud"}, "--progress: expected auto, tty, plain or none");
    row("progress interval", {"--progress-interval", "-1"}, "--progress-interval: expected seconds >= 0");
    // The first bad option is the one named, in the order the command checks them.
    row("rate before window", {"--window", "x", "--rate", "0"}, "--rate: expected a positive whole number, got '0'");

    QTest::newRow("resume without run dir") << QStringList{"--resume"} << "--resume needs --run-dir";
    const char *kept[] = {"profile", "file", "mapping", "format", "region", "rate", "window", "concurrency",
                          "shared-budget"};
    for (const char *name : kept) {
        QTest::addRow("resume with --%s", name)
            << QStringList{"--resume", "--run-dir", "D", QStringLiteral("--%1").arg(QLatin1String(name)), "v"}
            << QStringLiteral("--%1: a resumed run keeps the settings of its run.json").arg(QLatin1String(name));
    }
    for (const char *name : {"sandbox", "batch", "insecure-redis"}) {
        QTest::addRow("resume with --%s", name)
            << QStringList{"--resume", "--run-dir", "D", QStringLiteral("--%1").arg(QLatin1String(name))}
            << QStringLiteral("--%1: a resumed run keeps the settings of its run.json").arg(QLatin1String(name));
    }
    QTest::newRow("resume give up")
        << QStringList{"--resume", "--run-dir", "D", "--give-up-after", "never"}
        << "--give-up-after: expected a duration such as 90s, 30m or 2h, got 'never'";
}

void tst_RunArguments::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    args.replaceInStrings(QStringLiteral("@CSV@"), m_csv);

    const Parsed parsed = parse(args);
    QVERIFY(!parsed.arguments);
    QCOMPARE(parsed.error, message);
}

void tst_RunArguments::deadLetterFiles_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("message");

    QTest::newRow("no profile, no run.json")
        << QStringList{} << "@FILE@ is not in a run directory (no run.json beside it): name the profile to re-drive it "
                            "under with --profile";
    QTest::newRow("batch") << QStringList{"--profile", "generic", "--batch"}
                           << "--batch: a dead-letter file is re-sent request by request";
}

void tst_RunArguments::deadLetterFiles()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, message);
    const QString path = m_dir.filePath(QStringLiteral("dead-letters.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"_headroom":{"profile":"generic"},"id":"1"})"
               "\n");
    file.close();

    const Parsed parsed = parse(QStringList{"--file", path} + extra);
    QVERIFY(!parsed.arguments);
    QCOMPARE(parsed.error, QString(message).replace(QStringLiteral("@FILE@"), path));
}

void tst_RunArguments::settings_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");

    QTest::newRow("defaults: strategy") << QStringList{} << "strategy"
                                        << "auto";
    QTest::newRow("defaults: timeout") << QStringList{} << "timeoutMs"
                                       << "30000";
    QTest::newRow("defaults: give up") << QStringList{} << "giveUpAfterMs"
                                       << "1800000";
    QTest::newRow("defaults: attempts") << QStringList{} << "maxAttempts"
                                        << "5";
    QTest::newRow("rate") << QStringList{"--rate", "40"} << "rate"
                          << "40";
    QTest::newRow("window") << QStringList{"--window", "200ms"} << "windowMs"
                            << "200";
    QTest::newRow("strategy") << QStringList{"--strategy", "discover"} << "strategy"
                              << "discover";
    QTest::newRow("burst") << QStringList{"--token-bucket", "--burst", "7"} << "burst"
                           << "7";
    QTest::newRow("concurrency") << QStringList{"--concurrency", "1024"} << "concurrency"
                                 << "1024";
    QTest::newRow("margin") << QStringList{"--margin", "20ms"} << "marginMs"
                            << "20";
    QTest::newRow("give up") << QStringList{"--give-up-after", "90s"} << "giveUpAfterMs"
                             << "90000";
    QTest::newRow("base url") << QStringList{"--base-url", "http://127.0.0.1:9/x"} << "baseUrl"
                              << "http://127.0.0.1:9/x";
    QTest::newRow("shared budget")
        << QStringList{"--shared-budget", "redis://127.0.0.1:6379/0?key=k", "--insecure-redis"} << "sharedBudget"
        << "redis://127.0.0.1:6379/0?key=k";
}

void tst_RunArguments::settings()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, field);
    QFETCH(QString, expected);

    const Parsed parsed = parse(QStringList{"--profile", "generic", "--file", m_csv} + extra);
    QVERIFY2(parsed.arguments, qPrintable(parsed.error));
    const run::RunSettings &s = parsed.arguments->settings;
    QCOMPARE(s.profile, QStringLiteral("generic"));
    QCOMPARE(s.file, m_csv);
    auto ms = [](Duration d) { return QString::number(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
    const QHash<QString, QString> fields{
        {"strategy", run::RunSettings::strategyName(s.strategy)},
        {"timeoutMs", ms(s.timeout)},
        {"giveUpAfterMs", ms(s.giveUpAfter)},
        {"maxAttempts", QString::number(s.maxAttempts)},
        {"rate", s.rate ? QString::number(*s.rate) : QString()},
        {"windowMs", s.window ? ms(*s.window) : QString()},
        {"burst", s.tokenBucket ? QString::number(s.burst) : QString()},
        {"concurrency", QString::number(s.concurrency)},
        {"marginMs", s.margin ? ms(*s.margin) : QString()},
        {"baseUrl", s.baseUrl.toString()},
        {"sharedBudget", s.insecureRedis ? s.sharedBudget : QString()},
    };
    QVERIFY(fields.contains(field));
    QCOMPARE(fields.value(field), expected);
}

void tst_RunArguments::progressModes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<ProgressLine::Mode>("detected");
    QTest::addColumn<ProgressLine::Mode>("expected");

    QTest::newRow("auto on a terminal") << "auto" << ProgressLine::Mode::Terminal << ProgressLine::Mode::Terminal;
    QTest::newRow("auto elsewhere") << "auto" << ProgressLine::Mode::Plain << ProgressLine::Mode::Plain;
    QTest::newRow("tty") << "tty" << ProgressLine::Mode::Plain << ProgressLine::Mode::Terminal;
    QTest::newRow("plain") << "plain" << ProgressLine::Mode::Terminal << ProgressLine::Mode::Plain;
    QTest::newRow("none") << "none" << ProgressLine::Mode::Terminal << ProgressLine::Mode::Off;
}

void tst_RunArguments::progressModes()
{
    QFETCH(QString, name);
    QFETCH(ProgressLine::Mode, detected);
    QFETCH(ProgressLine::Mode, expected);

    QCOMPARE(ProgressLine::modeFromName(name, detected), std::optional<ProgressLine::Mode>(expected));
    const Parsed parsed = parse({"--profile", "generic", "--file", m_csv, "--progress", name}, detected);
    QVERIFY2(parsed.arguments, qPrintable(parsed.error));
    QCOMPARE(parsed.arguments->progressMode, expected);
}

void tst_RunArguments::resumeKeepsTheRunsGiveUpUnlessGiven()
{
    const Parsed kept = parse({"--resume", "--run-dir", "D", "--base-url", "http://127.0.0.1:9"});
    QVERIFY2(kept.arguments, qPrintable(kept.error));
    QVERIFY(kept.arguments->resuming);
    QCOMPARE(kept.arguments->runDir, QStringLiteral("D"));
    QVERIFY(!kept.arguments->giveUpAfter);
    QCOMPARE(kept.arguments->confirmedBaseUrl, std::optional<QUrl>(QUrl(QStringLiteral("http://127.0.0.1:9"))));

    const Parsed given = parse({"--resume", "--run-dir", "D", "--give-up-after", "2h"});
    QVERIFY2(given.arguments, qPrintable(given.error));
    QCOMPARE(given.arguments->giveUpAfter, std::optional<Duration>(std::chrono::hours(2)));
}

void tst_RunArguments::interruptGuardCountsAndRestores()
{
    struct sigaction before = {};
    sigaction(SIGINT, nullptr, &before);
    QList<int> counts;
    {
        const InterruptGuard guard([&counts](int count) { counts.append(count); });
        std::raise(SIGINT);
        QTRY_COMPARE(counts, QList<int>{1});
        std::raise(SIGTERM);
        QTRY_COMPARE(counts, (QList<int>{1, 2}));
    }
    struct sigaction after = {};
    sigaction(SIGINT, nullptr, &after);
    QVERIFY(after.sa_handler == before.sa_handler);
}

QTEST_GUILESS_MAIN(tst_RunArguments)
#include "tst_runarguments.moc"
