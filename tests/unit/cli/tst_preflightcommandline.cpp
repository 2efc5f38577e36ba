#include "app/cli/PreflightCommandLine.h"

#include "core/imports/ImportProfile.h"
#include "core/imports/RecordReader.h"

#include <QTest>

using namespace headroom;
using namespace headroom::cli;

class tst_PreflightCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void usageErrors_data();
    void usageErrors();
    void options();
    void help();
};

void tst_PreflightCommandLine::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("needsHelp");

    const QStringList base{"--profile", "generic", "--file", "rows.csv"};
    QTest::newRow("unknown option") << QStringList{"--nope"} << "Unknown option 'nope'." << false;
    QTest::newRow("positional") << base + QStringList{"extra"} << "unexpected argument 'extra'" << false;
    QTest::newRow("no profile") << QStringList{"--file", "rows.csv"} << "--profile and --file are required" << true;
    QTest::newRow("no file") << QStringList{"--profile", "generic"} << "--profile and --file are required" << true;
    QTest::newRow("unknown profile")
        << QStringList{"--profile", "acme", "--file", "rows.csv"}
        << "unknown profile 'acme' (expected one of: " + imports::ImportProfile::names().join(", ") + ")" << false;
    QTest::newRow("rate zero") << base + QStringList{"--rate", "0"} << "--rate must be a positive number" << false;
    QTest::newRow("rate text") << base + QStringList{"--rate", "fast"} << "--rate must be a positive number" << false;
    QTest::newRow("window zero") << base + QStringList{"--window", "0s"}
                                 << "--window must be a duration such as 1s, 500ms or 1m" << false;
    QTest::newRow("window text") << base + QStringList{"--window", "soon"}
                                 << "--window must be a duration such as 1s, 500ms or 1m" << false;
    QTest::newRow("format") << base + QStringList{"--format", "xml"} << "--format must be csv, jsonl or json" << false;
}

void tst_PreflightCommandLine::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QFETCH(bool, needsHelp);

    PreflightCommandLine commandLine;
    QCOMPARE(commandLine.parse(args), PreflightCommandLine::Outcome::Usage);
    QCOMPARE(commandLine.errorText(), message);
    QCOMPARE(commandLine.errorNeedsHelp(), needsHelp);
}

void tst_PreflightCommandLine::options()
{
    PreflightCommandLine commandLine;
    QCOMPARE(commandLine.parse({"--profile", "generic", "--file", "rows.csv", "--rate", "2.5", "--window", "500ms",
                                "--format", "jsonl", "--json", "--strict"}),
             PreflightCommandLine::Outcome::Check);
    const imports::PreflightOptions &options = commandLine.options();
    QCOMPARE(options.source.profile, QStringLiteral("generic"));
    QCOMPARE(options.source.filePath, QStringLiteral("rows.csv"));
    QCOMPARE(options.rate, 2.5);
    QCOMPARE(options.windowSeconds, 0.5);
    QVERIFY(options.source.format == imports::RecordReader::formatFromName(QStringLiteral("jsonl")));
    QVERIFY(commandLine.json());
    QVERIFY(commandLine.strict());
}

void tst_PreflightCommandLine::help()
{
    PreflightCommandLine commandLine;
    QCOMPARE(commandLine.parse({"--help"}), PreflightCommandLine::Outcome::Help);
    QVERIFY(commandLine.helpText().contains("--window <W>"));
}

QTEST_GUILESS_MAIN(tst_PreflightCommandLine)
#include "tst_preflightcommandline.moc"
