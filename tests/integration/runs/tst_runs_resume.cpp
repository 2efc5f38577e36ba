// headroom-cli runs that are killed and resumed: a real process, SIGKILL at
// chosen points (watched on the sandbox's accepted count, never by sleeping),
// a torn journal, a dead-letter file re-driven, and a secret that must not
// appear anywhere the run writes.
#include "tests/support/CliProcess.h"
#include "tests/support/TestFiles.h"
#include "core/run/JournalReplay.h"
#include "core/sandbox/SandboxThread.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

constexpr int kConcurrency = 16;

QByteArray customers(int rows)
{
    return testing::customersCsv("u", rows);
}

using testing::readJson;

} // namespace

class TestRunsResume : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        return testing::writeFile(m_dir, name, content);
    }

    qint64 accepted() const { return m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(); }
    QString trackUrl() const { return m_sandbox.baseUrl(QStringLiteral("customerio-track")).toString(); }

    QStringList runArgs(const QString &file, const QString &runDir, int rate = 100) const
    {
        return {QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                QStringLiteral("--file"), file, QStringLiteral("--base-url"), trackUrl(),
                QStringLiteral("--rate"), QString::number(rate), QStringLiteral("--window"), QStringLiteral("100ms"),
                QStringLiteral("--concurrency"), QString::number(kConcurrency), QStringLiteral("--run-dir"), runDir,
                QStringLiteral("--progress"), QStringLiteral("none")};
    }

    // The run sent to the sandbox, not the profile's default: a resume says so again.
    QStringList resumeArgs(const QString &runDir) const
    {
        return {QStringLiteral("resume"), QStringLiteral("--run-dir"), runDir, QStringLiteral("--progress"),
                QStringLiteral("none"), QStringLiteral("--base-url"), trackUrl()};
    }

    using Result = testing::ProcessResult;

    static Result runCli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        return testing::runProcess(QStringLiteral(HEADROOM_CLI), args, env);
    }

    // Starts the CLI and SIGKILLs it once the sandbox has accepted `killAt` rows.
    bool killWhenAccepted(const QStringList &args, qint64 killAt)
    {
        QProcess p;
        p.start(QStringLiteral(HEADROOM_CLI), args);
        if (!p.waitForStarted())
            return false;
        bool reached = false;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(accepted() >= killAt || p.state() == QProcess::NotRunning, 30000); }();
        reached = p.state() != QProcess::NotRunning;
        p.kill(); // SIGKILL: no drain, no flush, no summary
        p.waitForFinished();
        return reached;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        sandbox::SandboxConfig config;
        sandbox::ApiPolicy policy = config.policy(QStringLiteral("customerio-track"));
        policy.limit = 1000;
        policy.window = 100ms;
        config.apis.insert(QStringLiteral("customerio-track"), policy);
        QVERIFY(m_sandbox.start(config));
    }

    void init()
    {
        m_sandbox.reset();
        m_sandbox.mergeConfig(QJsonObject{{QStringLiteral("faults"), QJsonObject{{QStringLiteral("error503"), 0.0}}}});
    }

    void sigkillAtFivePointsThenResume()
    {
        const int rows = 2000;
        const QString file = writeFile(QStringLiteral("k.csv"), customers(rows));
        const QString runDir = m_dir.filePath(QStringLiteral("killed"));
        const QList<qint64> killPoints{150, 500, 850, 1200, 1600};
        qint64 resentBound = 0;
        for (int i = 0; i < killPoints.size(); ++i) {
            const QStringList args = i == 0 ? runArgs(file, runDir) : resumeArgs(runDir);
            QVERIFY2(killWhenAccepted(args, killPoints.at(i)), "the run ended before its kill point");
            // What was in flight at the kill is all a resume may send twice.
            QString error;
            const auto replay = run::JournalReplay::readFile(QDir(runDir).filePath(QStringLiteral("journal")), &error);
            QVERIFY2(replay, qPrintable(error));
            const qint64 unfinished = replay->unfinished().count();
            QVERIFY2(unfinished <= kConcurrency, qPrintable(QString::number(unfinished)));
            QVERIFY(replay->done.count() > 0);
            resentBound += unfinished;
        }
        const Result last = runCli(resumeArgs(runDir));
        QVERIFY2(last.exitCode == 0, last.err.constData());
        const QJsonObject summary = readJson(QDir(runDir).filePath(QStringLiteral("summary.json")));
        QVERIFY(summary.value(QStringLiteral("rows_skipped")).toInteger() > 0);
        QVERIFY(summary.value(QStringLiteral("rows_resent")).toInteger() <= kConcurrency);
        QCOMPARE(summary.value(QStringLiteral("rows_skipped")).toInteger()
                     + summary.value(QStringLiteral("rows_done")).toInteger(),
                 rows);

        const QJsonObject stats = m_sandbox.stats();
        QCOMPARE(stats.value(QStringLiteral("distinctIdentities")).toInteger(), rows); // every row at least once
        const qint64 duplicates = stats.value(QStringLiteral("duplicates")).toInteger();
        QVERIFY2(duplicates <= resentBound, qPrintable(QStringLiteral("%1 > %2").arg(duplicates).arg(resentBound)));
        QVERIFY2(duplicates <= qint64(killPoints.size()) * kConcurrency, qPrintable(QString::number(duplicates)));
        const auto replay = run::JournalReplay::readFile(QDir(runDir).filePath(QStringLiteral("journal")), nullptr);
        QCOMPARE(replay->done.count(), rows);
        QCOMPARE(replay->unfinished().count(), 0);
    }

    void tornJournalStillResumes()
    {
        const int rows = 400;
        const QString file = writeFile(QStringLiteral("t.csv"), customers(rows));
        const QString runDir = m_dir.filePath(QStringLiteral("torn"));
        QVERIFY(killWhenAccepted(runArgs(file, runDir), 150));
        const QString journalPath = QDir(runDir).filePath(QStringLiteral("journal"));
        QFile journal(journalPath);
        QVERIFY(journal.open(QIODevice::ReadWrite));
        const qint64 size = journal.size();
        QVERIFY(size > 20);
        QVERIFY(journal.resize(size - 5)); // cut mid-record
        journal.close();

        const Result r = runCli(resumeArgs(runDir));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("torn"), r.err.constData());
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("distinctIdentities")).toInteger(), rows);
        const auto replay = run::JournalReplay::readFile(journalPath, nullptr);
        QVERIFY(!replay->tornTail);
        QCOMPARE(replay->badRecords, 0);
        QCOMPARE(replay->done.count(), rows);
    }

    void resumingAFinishedRunSendsNothing()
    {
        const QString file = writeFile(QStringLiteral("f.csv"), customers(50));
        const QString runDir = m_dir.filePath(QStringLiteral("finished"));
        QCOMPARE(runCli(runArgs(file, runDir)).exitCode, 0);
        QCOMPARE(accepted(), 50);
        const Result r = runCli(resumeArgs(runDir));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(accepted(), 50);
        const QJsonObject summary = readJson(QDir(runDir).filePath(QStringLiteral("summary.json")));
        QCOMPARE(summary.value(QStringLiteral("rows_skipped")).toInteger(), 50);
        QCOMPARE(summary.value(QStringLiteral("rows_resent")).toInteger(), 0);
        // A second fresh run into the same directory is refused: it would mix journals.
        const Result again = runCli(runArgs(file, runDir));
        QCOMPARE(again.exitCode, 2);
        QVERIFY(again.err.contains("resume"));
    }

    void resumeErrorsAreClear_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no run dir") << QStringList{"resume"} << "--run-dir";
        QTest::newRow("empty dir") << QStringList{"resume", "--run-dir", "@EMPTY@"} << "run.json";
        QTest::newRow("settings are the run's") << QStringList{"resume", "--run-dir", "@EMPTY@", "--rate", "5"} << "run.json";
    }

    void resumeErrorsAreClear()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir empty;
        args.replaceInStrings(QStringLiteral("@EMPTY@"), empty.path());
        const Result r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void deadLetterFileIsAnImport()
    {
        const int rows = 20;
        const QString file = writeFile(QStringLiteral("d.csv"), customers(rows));
        const QString runDir = m_dir.filePath(QStringLiteral("dead"));
        // Some rows fail, never five in a row: a server failing every request
        // opens the circuit breaker, and the rows behind it wait for it.
        QVERIFY(m_sandbox.mergeConfig(QJsonObject{{QStringLiteral("faults"),
                                                   QJsonObject{{QStringLiteral("error503"), 0.3}, {QStringLiteral("seed"), 5}}}}));
        QStringList args = runArgs(file, runDir);
        args << QStringLiteral("--max-attempts") << QStringLiteral("1") << QStringLiteral("--log-csv");
        const Result first = runCli(args);
        QCOMPARE(first.exitCode, 3);
        const QString deadLetters = QDir(runDir).filePath(QStringLiteral("dead-letters.jsonl"));
        QFile f(deadLetters);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QVERIFY2(lines.size() >= 2 && lines.size() < rows, qPrintable(QString::number(lines.size())));
        const QJsonObject h = QJsonDocument::fromJson(lines.first()).object().value(QStringLiteral("_headroom")).toObject();
        QCOMPARE(h.value(QStringLiteral("status")).toInt(), 503);
        QVERIFY(!h.value(QStringLiteral("reason")).toString().isEmpty());
        QVERIFY(h.value(QStringLiteral("line")).toInteger() > 1);
        QVERIFY(QFile::exists(QDir(runDir).filePath(QStringLiteral("requests.csv"))));

        // The API is back: the dead letters go again, no --profile needed.
        QVERIFY(m_sandbox.mergeConfig(QJsonObject{{QStringLiteral("faults"), QJsonObject{{QStringLiteral("error503"), 0.0}}}}));
        m_sandbox.reset();
        const Result redrive = runCli({QStringLiteral("run"), QStringLiteral("--file"), deadLetters,
                                       QStringLiteral("--base-url"), trackUrl(), QStringLiteral("--run-dir"),
                                       m_dir.filePath(QStringLiteral("redrive")), QStringLiteral("--progress"),
                                       QStringLiteral("none")});
        QVERIFY2(redrive.exitCode == 0, redrive.err.constData());
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("distinctIdentities")).toInteger(), lines.size());
    }

    void secretAppearsNowhere()
    {
        const QByteArray site = "site-7f3a";
        const QByteArray key = "SECRET-KEY-9d41c7e2b8";
        QVERIFY(m_sandbox.mergeConfig(QJsonObject{
            {QStringLiteral("auth"), QJsonObject{{QStringLiteral("trackWorkspaces"),
                                                  QJsonObject{{QString::fromLatin1(site), QString::fromLatin1(key)}}}}},
            {QStringLiteral("faults"), QJsonObject{{QStringLiteral("error503"), 0.3}, {QStringLiteral("seed"), 3}}}}));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HEADROOM_SITE_ID"), QString::fromLatin1(site));
        env.insert(QStringLiteral("HEADROOM_API_KEY"), QString::fromLatin1(key));
        QByteArray csv = customers(60);
        csv += "big," + QByteArray(1200, 'x') + ",pro\n"; // a dead letter before sending
        const QString file = writeFile(QStringLiteral("s.csv"), csv);
        const QString runDir = m_dir.filePath(QStringLiteral("secret"));
        QStringList args = runArgs(file, runDir);
        args << QStringLiteral("--max-attempts") << QStringLiteral("2") << QStringLiteral("--log-csv")
             << QStringLiteral("--progress") << QStringLiteral("plain") << QStringLiteral("--progress-interval")
             << QStringLiteral("0");
        const Result r = runCli(args, env);
        QVERIFY2(r.exitCode == 3, r.err.constData());
        // Authenticated for real: rows went through with this key.
        QVERIFY(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger() > 0);
        const QList<QByteArray> forms{key, (site + ':' + key).toBase64()};
        QByteArray everything = r.out + r.err;
        QDirIterator it(runDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            everything += f.readAll();
            ++files;
        }
        QVERIFY(files >= 6); // run.json, journal, dead letters, run log (+csv), summary
        for (const QByteArray &form : forms)
            QVERIFY2(!everything.contains(form), form.constData());
        QVERIFY(everything.contains(site)); // the search itself works: the site id is no secret
        initTestCase_restorePolicy();
    }

private:
    void initTestCase_restorePolicy()
    {
        sandbox::SandboxConfig config;
        sandbox::ApiPolicy policy = config.policy(QStringLiteral("customerio-track"));
        policy.limit = 1000;
        policy.window = 100ms;
        config.apis.insert(QStringLiteral("customerio-track"), policy);
        m_sandbox.setConfig(config);
    }
};

QTEST_GUILESS_MAIN(TestRunsResume)
#include "tst_runs_resume.moc"
