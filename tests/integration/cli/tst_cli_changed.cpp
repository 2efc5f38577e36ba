// headroom-cli runs that send only what changed: a real process, the sandbox
// on 127.0.0.1, a real state store. A re-run of a file with 1 % of its rows
// changed sends exactly those rows; --only-new and --only-existing send by
// whether the store knows a row's person; a changed-only run killed with SIGKILL
// has recorded nothing the sandbox did not accept, and its resume still sends
// only those rows.
#include "tests/support/CliProcess.h"
#include "tests/support/TestFiles.h"
#include "core/sandbox/SandboxThread.h"
#include "core/state/AcceptedStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

class TestCliChanged : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;
    int m_runs = 0;

    using Result = testing::ProcessResult;

    QString stateDir() const { return m_dir.filePath(QStringLiteral("state")); }
    QString trackUrl() const { return m_sandbox.baseUrl(QStringLiteral("customerio-track")).toString(); }

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        e.insert(QStringLiteral("HEADROOM_STATE_DIR"), stateDir());
        return e;
    }

    Result runCli(const QStringList &args) { return testing::runProcess(QStringLiteral(HEADROOM_CLI), args, env()); }

    // 1,000 customers; every 100th has another plan when `changed`.
    QString writeCustomers(const QString &name, bool changed)
    {
        QByteArray csv = "id,email,plan\n";
        for (int i = 1; i <= 1000; ++i) {
            const QByteArray id = "u" + QByteArray::number(i);
            csv += id + ',' + id + "@example.com," + (changed && i % 100 == 0 ? "pro" : "free") + '\n';
        }
        return testing::writeFile(m_dir, name, csv);
    }

    static QSet<QString> changedIdentities()
    {
        QSet<QString> out;
        for (int i = 100; i <= 1000; i += 100)
            out.insert(QStringLiteral("customer:u%1").arg(i));
        return out;
    }

    QStringList runArgs(const QString &file, const QStringList &extra, const QString &runDir = {})
    {
        return QStringList{QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                           QStringLiteral("--file"), file, QStringLiteral("--base-url"), trackUrl(),
                           QStringLiteral("--progress"), QStringLiteral("none"), QStringLiteral("--run-dir"),
                           runDir.isEmpty() ? m_dir.filePath(QStringLiteral("run%1").arg(++m_runs)) : runDir}
               + extra;
    }

    qint64 accepted() const { return m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(); }

    QSet<QString> sentIdentities() const
    {
        const QJsonObject ids = m_sandbox.stats(true).value(QStringLiteral("identities")).toObject();
        const QStringList keys = ids.keys();
        return QSet<QString>(keys.begin(), keys.end());
    }

    QString storePath() const
    {
        const QStringList files = QDir(stateDir()).entryList({QStringLiteral("*.sqlite")}, QDir::Files);
        return files.size() == 1 ? QDir(stateDir()).filePath(files.first()) : QString();
    }

    // The people the store says were accepted at or after `sinceMs`.
    QSet<QString> recordedSince(qint64 sinceMs) const
    {
        state::AcceptedStore store(storePath());
        QString error;
        if (!store.open({}, state::AcceptedStore::OpenMode::Existing, &error))
            return {QStringLiteral("error: ") + error};
        QSet<QString> out;
        for (const auto &entry : store.recent(100000, {}, &error)) {
            if (entry.acceptedAtMs >= sinceMs)
                out.insert(QStringLiteral("customer:") + QString::fromUtf8(entry.label));
        }
        return out;
    }

    void firstFullRun()
    {
        QDir(stateDir()).removeRecursively();
        m_sandbox.reset();
        const Result full = runCli(runArgs(writeCustomers(QStringLiteral("full.csv"), false), {QStringLiteral("--rate"),
                                                                                               QStringLiteral("1000")}));
        QVERIFY2(full.exitCode == 0, full.err.constData());
        QCOMPARE(accepted(), 1000);
        m_sandbox.reset();
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

    void changedOnlySendsExactlyTheChangedRows()
    {
        firstFullRun();
        const QString changed = writeCustomers(QStringLiteral("changed.csv"), true);
        // Preflight reads the same store and says the same, sending nothing.
        const Result preflight = runCli({QStringLiteral("preflight"), QStringLiteral("--profile"),
                                         QStringLiteral("customerio-track"), QStringLiteral("--file"), changed,
                                         QStringLiteral("--changed-only"), QStringLiteral("--base-url"), trackUrl()});
        QVERIFY2(preflight.exitCode == 0, preflight.err.constData());
        QVERIFY2(preflight.out.contains("changed-only: 990 unchanged rows skipped: 10 s at 100/s; 10 rows to send"),
                 preflight.out.constData());
        QCOMPARE(accepted(), 0);
        const QString summary = m_dir.filePath(QStringLiteral("changed-summary.json"));
        const Result r = runCli(runArgs(changed, {QStringLiteral("--changed-only"), QStringLiteral("--rate"),
                                                  QStringLiteral("100"), QStringLiteral("--summary"), summary}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("changed-only: 990 unchanged rows skipped: 10 s at 100/s; 10 rows to send"),
                 r.err.constData());
        QCOMPARE(accepted(), 10);
        QCOMPARE(sentIdentities(), changedIdentities());
        const QJsonObject s = testing::readJson(summary);
        QCOMPARE(s.value(QStringLiteral("rows_unchanged")).toInteger(), 990);
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 10);
        QVERIFY2(r.out.contains("990 unchanged (not sent)"), r.out.constData());

        // Sent once, accepted, recorded: the same file again sends nothing.
        m_sandbox.reset();
        const Result again = runCli(runArgs(changed, {QStringLiteral("--changed-only")}));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(accepted(), 0);
    }

    // After the full run the store knows u1..u1000. The file holds two of
    // them (u1 changed, u2 as accepted) and two people never sent.
    void identityModesSendByWhatTheStoreKnows_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QStringList>("sent");
        QTest::addColumn<QByteArray>("firstLine");
        QTest::addColumn<QStringList>("sentAgain"); // the same run once more
        QTest::newRow("only-new") << QStringLiteral("--only-new")
                                  << QStringList{QStringLiteral("customer:new1"), QStringLiteral("customer:new2")}
                                  << QByteArray("only-new: 2 already known rows skipped: 0 s at 100/s; 2 rows to send")
                                  << QStringList{}; // now known too
        QTest::newRow("only-existing") << QStringLiteral("--only-existing")
                                       << QStringList{QStringLiteral("customer:u1"), QStringLiteral("customer:u2")}
                                       << QByteArray("only-existing: 2 new rows skipped: 0 s at 100/s; 2 rows to send")
                                       << QStringList{QStringLiteral("customer:u1"), QStringLiteral("customer:u2")};
    }
    void identityModesSendByWhatTheStoreKnows()
    {
        QFETCH(QString, mode);
        QFETCH(QStringList, sent);
        QFETCH(QByteArray, firstLine);
        QFETCH(QStringList, sentAgain);
        firstFullRun();
        const QByteArray csv = "id,email,plan\n"
                               "u1,u1@example.com,pro\n"
                               "new1,new1@example.com,free\n"
                               "u2,u2@example.com,free\n"
                               "new2,new2@example.com,free\n";
        const QString file = testing::writeFile(m_dir, QStringLiteral("identities.csv"), csv);
        const QString summary = m_dir.filePath(QStringLiteral("identities-summary.json"));
        const Result r = runCli(runArgs(file, {mode, QStringLiteral("--summary"), summary}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains(firstLine), r.err.constData());
        QCOMPARE(sentIdentities(), QSet<QString>(sent.begin(), sent.end()));
        QCOMPARE(accepted(), 2);
        const QJsonObject s = testing::readJson(summary);
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 2);
        QCOMPARE(s.value(QStringLiteral("rows_unchanged")).toInteger(), 2);

        // What was accepted is recorded: the new people are known now, the
        // known ones are still known.
        m_sandbox.reset();
        const Result again = runCli(runArgs(file, {mode}));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(sentIdentities(), QSet<QString>(sentAgain.begin(), sentAgain.end()));
    }

    void killedChangedOnlyRunRecordsOnlyWhatWasAcceptedAndResumes()
    {
        firstFullRun();
        const QString changed = writeCustomers(QStringLiteral("changed-kill.csv"), true);
        const QString runDir = m_dir.filePath(QStringLiteral("killed"));
        const qint64 startMs = QDateTime::currentMSecsSinceEpoch();
        QProcess p;
        p.setProcessEnvironment(env());
        // 10 rows at 4 per second: killed after the third is accepted.
        p.start(QStringLiteral(HEADROOM_CLI),
                runArgs(changed,
                        {QStringLiteral("--changed-only"), QStringLiteral("--rate"), QStringLiteral("1"),
                         QStringLiteral("--window"), QStringLiteral("250ms")},
                        runDir));
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(accepted() >= 3 || p.state() == QProcess::NotRunning, 30000);
        QCOMPARE(p.state(), QProcess::Running);
        p.kill(); // SIGKILL: no drain, no summary
        p.waitForFinished();

        const QSet<QString> sentBeforeKill = sentIdentities();
        QVERIFY(sentBeforeKill.size() < 10);
        QVERIFY(QSet<QString>(sentBeforeKill).subtract(changedIdentities()).isEmpty());
        const QSet<QString> recorded = recordedSince(startMs);
        // Nothing recorded that the sandbox did not accept.
        QVERIFY2(QSet<QString>(recorded).subtract(sentIdentities()).isEmpty(),
                 qPrintable(QStringList(recorded.values()).join(QLatin1Char(' '))));

        const Result resumed = runCli({QStringLiteral("resume"), QStringLiteral("--run-dir"), runDir,
                                       QStringLiteral("--progress"), QStringLiteral("none"),
                                       QStringLiteral("--base-url"), trackUrl()});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        // Still only the changed rows, each at least once (a row in flight at
        // the kill is sent again), the unchanged ones never.
        QCOMPARE(sentIdentities(), changedIdentities());
        QVERIFY(accepted() <= 10 + 4);
        QCOMPARE(recordedSince(startMs), changedIdentities());
        m_sandbox.reset();
        const Result again = runCli(runArgs(changed, {QStringLiteral("--changed-only")}));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(accepted(), 0);
    }

    void stateListShowForget()
    {
        firstFullRun();
        const Result list = runCli({QStringLiteral("state"), QStringLiteral("list")});
        QVERIFY2(list.exitCode == 0, list.err.constData());
        QVERIFY2(list.out.contains("customerio-track 127.0.0.1/customerio-track") && list.out.contains("1000 rows"),
                 list.out.constData());
        const QString id = QString::fromUtf8(list.out.split(' ').first());
        const Result show = runCli({QStringLiteral("state"), QStringLiteral("show"), QStringLiteral("--destination"),
                                    id, QStringLiteral("--id"), QStringLiteral("u7")});
        QVERIFY2(show.exitCode == 0, show.err.constData());
        QVERIFY2(show.out.contains("  u7\n"), show.out.constData());
        const Result unknown = runCli({QStringLiteral("state"), QStringLiteral("show"), QStringLiteral("--destination"),
                                       QStringLiteral("nowhere")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("no state store for 'nowhere'"));
        const Result forget = runCli({QStringLiteral("state"), QStringLiteral("forget"),
                                      QStringLiteral("--destination"), id});
        QVERIFY2(forget.exitCode == 0, forget.err.constData());
        QVERIFY(storePath().isEmpty());
        // Forgotten: a changed-only run sends every row again.
        const Result r = runCli(runArgs(writeCustomers(QStringLiteral("after-forget.csv"), false),
                                        {QStringLiteral("--changed-only"), QStringLiteral("--rate"),
                                         QStringLiteral("1000")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(accepted(), 1000);
    }

    void aDamagedStoreIsRefusedNamingTheFile()
    {
        firstFullRun();
        const QString path = storePath();
        QVERIFY(!path.isEmpty());
        for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(path + suffix);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray("not a database, just bytes\n").repeated(100));
        f.close();
        const QString file = writeCustomers(QStringLiteral("damaged.csv"), false);
        const Result r = runCli(runArgs(file, {QStringLiteral("--changed-only")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path.toUtf8()) && r.err.contains("not a state store"), r.err.constData());
        QCOMPARE(accepted(), 0);
        const Result list = runCli({QStringLiteral("state"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 2);
        QVERIFY2(list.err.contains(path.toUtf8()), list.err.constData());
        // A run that sends every row goes on, and says the store is not updated.
        const Result all = runCli(runArgs(file, {QStringLiteral("--rate"), QStringLiteral("1000")}));
        QVERIFY2(all.exitCode == 0, all.err.constData());
        QVERIFY2(all.err.contains("does not update the state store"), all.err.constData());
        QCOMPARE(accepted(), 1000);
    }

    void changeModesExcludeEachOther()
    {
        const Result r = runCli(runArgs(writeCustomers(QStringLiteral("x.csv"), false),
                                        {QStringLiteral("--changed-only"), QStringLiteral("--only-new")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("exclude each other"));
    }
};

QTEST_GUILESS_MAIN(TestCliChanged)
#include "tst_cli_changed.moc"
