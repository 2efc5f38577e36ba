// Issue 18, item 3: a resume follows run.json, which anyone who can write the
// run directory can edit. It says where it sends, and refuses a base URL that
// is not the profile's own unless the operator repeats it with --base-url.
#include "tests/hostile/sends/HostileCli.h"

#include <QDir>
#include <QJsonDocument>
#include <QTest>

using namespace headroom;

class TestHostileResume : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;

    QString url(const char *api) const { return m_sandbox.baseUrl(QLatin1String(api)).toString(); }

    // A finished run of `rows` rows whose file then grows by two rows, with
    // its summary gone (so it may be resumed) and run.json's base URL set to
    // `editedUrl`: a resume has two rows to send.
    QString editedRun(const QString &name, const QString &editedUrl)
    {
        const QString runDir = m_dir.filePath(name);
        const QString csv = m_dir.filePath(name + QStringLiteral(".csv"));
        testing::writeFile(m_dir, name + QStringLiteral(".csv"), testing::customersCsv(name.toUtf8() + "-", 3));
        const testing::ProcessResult r = testing::runCli(
            {QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
             QStringLiteral("--file"), csv, QStringLiteral("--base-url"), url("customerio-track"),
             QStringLiteral("--run-dir"), runDir, QStringLiteral("--progress"), QStringLiteral("none")},
            testing::isolatedEnvironment(m_dir));
        if (r.exitCode != 0)
            qFatal("the run to edit failed: %s", r.err.constData());
        testing::writeFile(m_dir, name + QStringLiteral(".csv"), testing::customersCsv(name.toUtf8() + "-", 5));
        QFile::remove(runDir + QStringLiteral("/summary.json"));
        QJsonObject manifest = testing::readJson(runDir + QStringLiteral("/run.json"));
        QJsonObject settings = manifest.value(QStringLiteral("settings")).toObject();
        settings.insert(QStringLiteral("base_url"), editedUrl);
        manifest.insert(QStringLiteral("settings"), settings);
        QFile f(runDir + QStringLiteral("/run.json"));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot edit run.json");
        f.write(QJsonDocument(manifest).toJson());
        return runDir;
    }

    testing::ProcessResult resume(const QString &runDir, const QStringList &extra = {})
    {
        return testing::runCli(QStringList{QStringLiteral("resume"), QStringLiteral("--run-dir"), runDir,
                                           QStringLiteral("--progress"), QStringLiteral("none")}
                                   + extra,
                               testing::isolatedEnvironment(m_dir));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_sandbox.start());
    }

    void init() { m_sandbox.reset(); }

    // The "attacker's" address is the sandbox's generic API: what reaches it is counted.
    void anEditedBaseUrlIsRefusedAndNothingIsSent()
    {
        const QString elsewhere = url("generic");
        const QString runDir = editedRun(QStringLiteral("edited"), elsewhere);
        m_sandbox.reset();
        const testing::ProcessResult r = resume(runDir);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(elsewhere.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("--base-url"), r.err.constData());
        QCOMPARE(testing::requestsSeen(m_sandbox), 0);
    }

    void anAddressTheOperatorRepeatsIsUsedAndShown()
    {
        const QString elsewhere = url("generic");
        const QString runDir = editedRun(QStringLiteral("repeated"), elsewhere);
        m_sandbox.reset();
        const testing::ProcessResult r = resume(runDir, {QStringLiteral("--base-url"), elsewhere});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("resuming: sending to " + elsewhere.toUtf8()), r.err.constData());
        QCOMPARE(testing::requestsSeen(m_sandbox), 2); // the two rows the file grew by
    }

    void anotherAddressThanRunJsonsIsRefused()
    {
        const QString runDir = editedRun(QStringLiteral("other"), url("generic"));
        m_sandbox.reset();
        const testing::ProcessResult r = resume(runDir, {QStringLiteral("--base-url"), url("customerio-app")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("is not the base URL of this run"), r.err.constData());
        QCOMPARE(testing::requestsSeen(m_sandbox), 0);
    }
};

QTEST_GUILESS_MAIN(TestHostileResume)
#include "tst_hostile_resume.moc"
