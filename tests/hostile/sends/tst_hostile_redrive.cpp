// Issue 18, item 2: a dead-letter file does not choose the credentials. A
// re-drive runs under the profile the operator names or that of the run the
// file came from (run.json beside it); a line that is not a call of that
// profile refuses the re-drive with file:line, and nothing is sent.
#include "tests/hostile/sends/HostileCli.h"

#include <QDir>
#include <QTest>

using namespace headroom;

class TestHostileRedrive : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;
    QString m_trackRun; // a finished customerio-track run's directory

    QString trackUrl() const { return m_sandbox.baseUrl(QStringLiteral("customerio-track")).toString(); }

    // A dead letter as a crafted file would hold it: the line claims `profile`.
    static QByteArray letter(const char *method, const char *path, const char *profile)
    {
        return QByteArray("{\"method\":\"") + method + "\",\"path\":\"" + path + "\",\"body\":{},\"_headroom\":"
                                                                                 "{\"row\":1,\"line\":2,\"operation\":\"identify\",\"attempts\":1,\"status\":500,\"reason\":\"HTTP 500\","
                                                                                 "\"profile\":\""
               + profile + "\",\"lane\":\"x\"}}\n";
    }

    testing::ProcessResult redrive(const QString &file, const QString &name, const QStringList &extra = {})
    {
        return testing::runCli(QStringList{QStringLiteral("run"), QStringLiteral("--file"), file,
                                           QStringLiteral("--base-url"), trackUrl(), QStringLiteral("--run-dir"),
                                           m_dir.filePath(name), QStringLiteral("--progress"), QStringLiteral("none")}
                                   + extra,
                               testing::isolatedEnvironment(m_dir));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_sandbox.start());
        m_trackRun = m_dir.filePath(QStringLiteral("track-run"));
        const QString csv = testing::writeFile(m_dir, QStringLiteral("one.csv"), testing::customersCsv("u", 1));
        const testing::ProcessResult r = testing::runCli(
            {QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
             QStringLiteral("--file"), csv, QStringLiteral("--base-url"), trackUrl(), QStringLiteral("--run-dir"),
             m_trackRun, QStringLiteral("--progress"), QStringLiteral("none")},
            testing::isolatedEnvironment(m_dir));
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void init() { m_sandbox.reset(); }

    // The crafted line names another profile and an admin call: the run's
    // own profile (customerio-track) applies, and the call is not one of its.
    void aCraftedLineIsRefusedWithItsLine_data()
    {
        QTest::addColumn<QByteArray>("lines");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("badLine");
        const QByteArray admin = letter("DELETE", "/admin/everything", "customerio-app");
        QTest::newRow("alone, profile of the run") << admin << QStringList{} << 1;
        QTest::newRow("after a good line, profile of the run")
            << letter("PUT", "/api/v1/customers/u1", "customerio-app") + admin << QStringList{} << 2;
        QTest::newRow("alone, profile the operator names")
            << admin << QStringList{QStringLiteral("--profile"), QStringLiteral("customerio-track")} << 1;
    }

    void aCraftedLineIsRefusedWithItsLine()
    {
        QFETCH(QByteArray, lines);
        QFETCH(QStringList, extra);
        QFETCH(int, badLine);
        const QString file = m_trackRun + QStringLiteral("/dead-letters.jsonl");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(lines);
        f.close();
        const testing::ProcessResult r =
            redrive(file, QStringLiteral("crafted-") + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')), extra);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(file.toUtf8() + ':' + QByteArray::number(badLine) + ':'), r.err.constData());
        QVERIFY2(r.err.contains("DELETE /admin/everything"), r.err.constData());
        QCOMPARE(testing::requestsSeen(m_sandbox), 0);
    }

    void callsOfTheRunsProfileAreSent()
    {
        const QString file = m_trackRun + QStringLiteral("/dead-letters.jsonl");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        // What the line claims does not matter: the run's profile applies.
        f.write(letter("PUT", "/api/v1/customers/u9", "generic"));
        f.close();
        const testing::ProcessResult r = redrive(file, QStringLiteral("good"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("accepted")).toInteger(), 1);
        QCOMPARE(testing::requestsSeen(m_sandbox), 1);
    }

    void aLooseFileNeedsAProfile()
    {
        const QString file = testing::writeFile(m_dir, QStringLiteral("loose.jsonl"),
                                                letter("DELETE", "/admin/everything", "customerio-app"));
        const testing::ProcessResult r = redrive(file, QStringLiteral("loose"));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--profile"), r.err.constData());
        QCOMPARE(testing::requestsSeen(m_sandbox), 0);
    }
};

QTEST_GUILESS_MAIN(TestHostileRedrive)
#include "tst_hostile_redrive.moc"
