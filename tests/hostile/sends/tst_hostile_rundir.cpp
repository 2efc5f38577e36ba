// Issue 18, item 12: a run directory holds request bodies and responses, so
// it is 0700 and its files 0600 whatever the umask, and a symbolic link
// planted in it is refused by name instead of being written through.
#include "tests/hostile/sends/HostileCli.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

#include <sys/stat.h>

using namespace headroom;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st
    {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? (st.st_mode & 07777) : mode_t(07777);
}

} // namespace

class TestHostileRunDir : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;

    testing::ProcessResult run(const QString &runDir, const QByteArray &csv)
    {
        const QString file = testing::writeFile(m_dir, QFileInfo(runDir).fileName() + QStringLiteral(".csv"), csv);
        return testing::runCli({QStringLiteral("run"), QStringLiteral("--profile"), QStringLiteral("customerio-track"),
                                QStringLiteral("--file"), file, QStringLiteral("--base-url"),
                                m_sandbox.baseUrl(QStringLiteral("customerio-track")).toString(),
                                QStringLiteral("--run-dir"), runDir, QStringLiteral("--progress"),
                                QStringLiteral("none"), QStringLiteral("--log-csv")},
                               testing::isolatedEnvironment(m_dir));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_sandbox.start());
        ::umask(022); // the child inherits it: what a default shell would give
    }

    void init() { m_sandbox.reset(); }

    void directoryIsPrivateAndSoAreItsFiles()
    {
        const QString runDir = m_dir.filePath(QStringLiteral("private"));
        QByteArray csv = testing::customersCsv("p", 3);
        csv += ",nobody@example.com,free\n"; // a dead letter: its row is personal data too
        const testing::ProcessResult r = run(runDir, csv);
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(modeOf(runDir), mode_t(0700));
        const QStringList files = QDir(runDir).entryList(QDir::Files | QDir::Hidden);
        for (const char *name : {"run.json", "journal", "dead-letters.jsonl", "requests.jsonl", "summary.json"})
            QVERIFY2(files.contains(QLatin1String(name)), name);
        for (const QString &name : files)
            QVERIFY2(modeOf(QDir(runDir).filePath(name)) == 0600,
                     qPrintable(name + QStringLiteral(": ") + QString::number(modeOf(QDir(runDir).filePath(name)), 8)));
    }

    void aPlantedLinkIsRefusedByName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("requests.jsonl") << "requests.jsonl";
        QTest::newRow("dead-letters.jsonl") << "dead-letters.jsonl";
        QTest::newRow("journal") << "journal";
        QTest::newRow("run.json, dangling") << "run.json";
    }

    void aPlantedLinkIsRefusedByName()
    {
        QFETCH(QString, name);
        const QString runDir = m_dir.filePath(QStringLiteral("planted-") + name);
        QVERIFY(QDir().mkpath(runDir));
        const bool dangling = name == QLatin1String("run.json");
        const QString victim = m_dir.filePath(QStringLiteral("victim-") + name);
        if (!dangling)
            testing::writeFile(m_dir, QStringLiteral("victim-") + name, "the victim's own bytes\n");
        const QString link = QDir(runDir).filePath(name);
        QVERIFY(QFile::link(victim, link));
        const testing::ProcessResult r = run(runDir, testing::customersCsv("v", 2));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(link.toUtf8()) && r.err.contains("symbolic link"), r.err.constData());
        QCOMPARE(testing::requestsSeen(m_sandbox), 0);
        if (dangling) {
            QVERIFY(!QFile::exists(victim));
        } else {
            QFile f(victim);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), QByteArray("the victim's own bytes\n"));
        }
    }
};

QTEST_GUILESS_MAIN(TestHostileRunDir)
#include "tst_hostile_rundir.moc"
