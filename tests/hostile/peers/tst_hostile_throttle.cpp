// A server that answers every request `429 Retry-After: 0`, forever (issue
// 18, item 9): headroom-cli asks it a bounded number of times, gives up after
// --give-up-after with exit status 4, and a resume finishes every row once
// the server heals. Bounds in requests, never in seconds.
#include "tests/hostile/peers/HostilePeer.h"
#include "tests/support/TestFiles.h"

#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using testing::HostilePeer;

class TestHostileThrottle : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    // Runs headroom-cli while this thread's event loop keeps serving the peer.
    Result runCli(const QStringList &args)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        process.setProcessEnvironment(env);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStringLiteral(HEADROOM_CLI), args);
        if (!finished.wait(120000)) {
            process.kill();
            process.waitForFinished();
        }
        Result r;
        r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        r.out = process.readAllStandardOutput();
        r.err = process.readAllStandardError();
        return r;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void throttledForeverIsAskedBoundedTimes()
    {
        HostilePeer peer(HostilePeer::Mode::ThrottleZero);
        QVERIFY(peer.start());
        const QString file = testing::writeFile(m_dir, QStringLiteral("rows.csv"), testing::customersCsv("t", 30));
        const QString runDir = m_dir.filePath(QStringLiteral("run"));
        const QString summaryPath = m_dir.filePath(QStringLiteral("summary.json"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                 QStringLiteral("--file"), file, QStringLiteral("--base-url"), peer.baseUrl().toString(),
                                 QStringLiteral("--max-attempts"), QStringLiteral("2"),
                                 QStringLiteral("--give-up-after"), QStringLiteral("3s"),
                                 QStringLiteral("--run-dir"), runDir, QStringLiteral("--summary"), summaryPath,
                                 QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(r.exitCode == 4, r.err.constData());
        // Retry-After: 0 is no licence to hammer: the lane's waits grow with
        // each throttle episode in a row, whatever the server says.
        qInfo("requests the server saw: %d", peer.requests());
        QVERIFY2(peer.requests() <= 15, qPrintable(QString::number(peer.requests())));
        QVERIFY(peer.requests() >= 1);
        const QJsonObject s = testing::readJson(summaryPath);
        QCOMPARE(s.value(QStringLiteral("ending")).toString(), QStringLiteral("gave-up"));
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 0);
        QCOMPARE(s.value(QStringLiteral("rows_failed")).toInteger(), 0); // throttles spend no attempt

        // Every row is left for a resume, which finishes them once the server heals.
        peer.setMode(HostilePeer::Mode::Accept);
        const int before = peer.requests();
        const QString resumedPath = m_dir.filePath(QStringLiteral("resumed.json"));
        // The run went to a base URL of the test's, not the profile's: a
        // resume sends credentials there only when told again.
        const Result resumed = runCli({QStringLiteral("resume"), QStringLiteral("--run-dir"), runDir,
                                       QStringLiteral("--base-url"), peer.baseUrl().toString(),
                                       QStringLiteral("--summary"), resumedPath,
                                       QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QJsonObject after = testing::readJson(resumedPath);
        QCOMPARE(after.value(QStringLiteral("rows_done")).toInteger(), 30);
        QCOMPARE(after.value(QStringLiteral("rows_failed")).toInteger(), 0);
        QCOMPARE(peer.requests() - before, 30);
    }

    void helpSaysThrottlingEndsOnlyByTheBound()
    {
        const Result help = runCli({QStringLiteral("run"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        const QByteArray text = help.out.simplified();
        QVERIFY2(text.contains("Throttling (429) spends none"), help.out.constData());
        QVERIFY2(text.contains("even with Retry-After: 0"), help.out.constData());
        QVERIFY2(text.contains("only --give-up-after ends the run"), help.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestHostileThrottle)
#include "tst_hostile_throttle.moc"
