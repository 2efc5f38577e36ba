// headroom-cli's three outcomes end to end: a real process against the
// sandbox on 127.0.0.1. Customer.io's 207 names batch items by index; the run
// dead-letters exactly those rows with their file lines and reason class. A
// transactional send whose answer is lost (the sandbox applied it) is
// dead-lettered "may have been applied — check before re-driving", never sent
// twice, unless --resend-ambiguous; summary.json and the last line count each
// class.
#include "tests/support/CliProcess.h"
#include "tests/support/TestFiles.h"
#include "core/sandbox/SandboxThread.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

const QString kApp = QStringLiteral("customerio-app");
const QString kTrack = QStringLiteral("customerio-track");

QList<QJsonObject> deadLetters(const QString &runDir)
{
    QList<QJsonObject> out;
    QFile f(runDir + QStringLiteral("/dead-letters.jsonl"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object().value(QStringLiteral("_headroom")).toObject();
    }
    return out;
}

} // namespace

class TestCliOutcomes : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;
    int m_runs = 0;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        return e;
    }

    struct Run
    {
        testing::ProcessResult result;
        QString runDir;
        QJsonObject summary;
    };

    Run run(const QString &profile, const QString &file, const QStringList &extra)
    {
        Run r;
        r.runDir = m_dir.filePath(QStringLiteral("run%1").arg(++m_runs));
        const QString summary = r.runDir + QStringLiteral(".json");
        r.result = testing::runProcess(QStringLiteral(HEADROOM_CLI),
                                       QStringList{QStringLiteral("run"), QStringLiteral("--profile"), profile,
                                                   QStringLiteral("--file"), file, QStringLiteral("--base-url"),
                                                   m_sandbox.baseUrl(profile).toString(), QStringLiteral("--run-dir"),
                                                   r.runDir, QStringLiteral("--summary"), summary,
                                                   QStringLiteral("--progress"), QStringLiteral("none")}
                                           + extra,
                                       env(), 90000);
        r.summary = testing::readJson(summary);
        return r;
    }

    // Sends to the App API with 3 % of its answers lost after the send was applied.
    void startLosingAnswers()
    {
        sandbox::SandboxConfig config;
        config.faults.lostAnswer = 0.03;
        config.faults.seed = 20; // the same answers are lost on every start
        config.faults.apis = {kApp};
        m_sandbox.stop();
        QVERIFY(m_sandbox.start(config));
    }

    qint64 lostAnswers() const
    {
        return m_sandbox.stats().value(QStringLiteral("apis")).toObject().value(kApp).toObject().value(QStringLiteral("lostAnswers")).toInteger();
    }

    QString recipients(int rows)
    {
        QByteArray csv = "id,email,transactional_message_id,coupon\n";
        for (int i = 1; i <= rows; ++i) {
            const QByteArray n = QByteArray::number(i);
            csv += "c" + n + ",c" + n + "@example.com,3,SAVE" + n + '\n';
        }
        return testing::writeFile(m_dir, QStringLiteral("recipients.csv"), csv);
    }

    QString transactionalMapping()
    {
        return testing::writeFile(m_dir, QStringLiteral("transactional.json"), R"({"operation":"transactional_email"})");
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cleanupTestCase() { m_sandbox.stop(); }

    // Rows 10 and 50 (file lines 11 and 51) carry an id over Customer.io's
    // 150 bytes; their batch comes back 207 naming them by batch_index.
    void batch207ItemsAreDeadLetteredByFileLine()
    {
        m_sandbox.stop();
        QVERIFY(m_sandbox.start());
        QByteArray csv = "id,plan\n";
        for (int i = 1; i <= 100; ++i)
            csv += (i == 10 || i == 50 ? QByteArray(151, 'x') + QByteArray::number(i) : "c" + QByteArray::number(i))
                   + ",free\n";
        const Run r = run(kTrack, testing::writeFile(m_dir, QStringLiteral("batch.csv"), csv), {QStringLiteral("--batch")});
        QVERIFY2(r.result.exitCode == 3, r.result.err.constData());
        QCOMPARE(r.summary.value(QStringLiteral("rows_delivered")).toInteger(), 98);
        QCOMPARE(r.summary.value(QStringLiteral("rows_rejected")).toInteger(), 2);
        QCOMPARE(r.summary.value(QStringLiteral("rows_rejected_by")).toObject().value(QStringLiteral("size")).toInteger(), 2);
        QCOMPARE(r.summary.value(QStringLiteral("rows_ambiguous")).toInteger(), 0);
        QVERIFY2(r.result.out.contains("98 delivered, 2 rejected (size 2), 0 ambiguous"), r.result.out.constData());
        const QList<QJsonObject> letters = deadLetters(r.runDir);
        QCOMPARE(letters.size(), 2);
        QCOMPARE(letters.at(0).value(QStringLiteral("line")).toInteger(), 11);
        QCOMPARE(letters.at(1).value(QStringLiteral("line")).toInteger(), 51);
        for (const QJsonObject &letter : letters) {
            QCOMPARE(letter.value(QStringLiteral("outcome")).toString(), QStringLiteral("rejected"));
            QCOMPARE(letter.value(QStringLiteral("reason_class")).toString(), QStringLiteral("size"));
            QCOMPARE(letter.value(QStringLiteral("status")).toInt(), 207);
        }
        // The batches were sent once each and the sandbox applied the other 98 rows.
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("acceptedItems")).toInteger(), 98);
    }

    void ambiguousTransactionalSendsAreDeadLetteredNotResent()
    {
        startLosingAnswers();
        const int rows = 300;
        const Run r = run(kApp, recipients(rows), {QStringLiteral("--mapping"), transactionalMapping()});
        const qint64 lost = lostAnswers();
        QVERIFY2(lost > 0, "no answer was lost: nothing ambiguous");
        QVERIFY2(r.result.exitCode == 3, r.result.err.constData());
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("duplicates")).toInteger(), 0);
        QCOMPARE(r.summary.value(QStringLiteral("rows_ambiguous")).toInteger(), lost);
        QCOMPARE(r.summary.value(QStringLiteral("attempts_ambiguous")).toInteger(), lost);
        QCOMPARE(r.summary.value(QStringLiteral("rows_delivered")).toInteger(), rows - lost);
        QCOMPARE(r.summary.value(QStringLiteral("rows_rejected")).toInteger(), 0);
        const QByteArray last = QStringLiteral("%1 delivered, 0 rejected, %2 ambiguous").arg(rows - lost).arg(lost).toUtf8();
        QVERIFY2(r.result.out.contains(last), r.result.out.constData());
        // The run log says it per attempt.
        QHash<QString, qint64> outcomes;
        QFile log(r.runDir + QStringLiteral("/requests.jsonl"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        while (!log.atEnd())
            ++outcomes[QJsonDocument::fromJson(log.readLine()).object().value(QStringLiteral("outcome")).toString()];
        QCOMPARE(outcomes.value(QStringLiteral("ambiguous")), lost);
        QCOMPARE(outcomes.value(QStringLiteral("delivered")), rows - lost);
        const QList<QJsonObject> letters = deadLetters(r.runDir);
        QCOMPARE(letters.size(), lost);
        for (const QJsonObject &letter : letters) {
            QCOMPARE(letter.value(QStringLiteral("outcome")).toString(), QStringLiteral("ambiguous"));
            QVERIFY(letter.value(QStringLiteral("may_have_been_applied")).toBool());
            QVERIFY2(letter.value(QStringLiteral("reason")).toString().contains(QStringLiteral("may have been applied — check before re-driving")),
                     qPrintable(letter.value(QStringLiteral("reason")).toString()));
        }
    }

    void resendAmbiguousSendsThemAgain()
    {
        startLosingAnswers();
        const int rows = 300;
        const Run r = run(kApp, recipients(rows),
                          {QStringLiteral("--mapping"), transactionalMapping(), QStringLiteral("--resend-ambiguous")});
        const qint64 lost = lostAnswers();
        QVERIFY(lost > 0);
        QVERIFY2(r.result.exitCode == 0, r.result.err.constData());
        QCOMPARE(r.summary.value(QStringLiteral("rows_delivered")).toInteger(), rows);
        QCOMPARE(r.summary.value(QStringLiteral("rows_ambiguous")).toInteger(), 0);
        QVERIFY(deadLetters(r.runDir).isEmpty());
        // The operator chose it: each lost one took effect twice.
        QCOMPARE(m_sandbox.stats().value(QStringLiteral("duplicates")).toInteger(), lost);
        // run.json keeps the choice for a resume.
        const QJsonObject manifest = testing::readJson(r.runDir + QStringLiteral("/run.json"));
        QVERIFY(manifest.value(QStringLiteral("settings")).toObject().value(QStringLiteral("resend_ambiguous")).toBool());
    }
};

QTEST_GUILESS_MAIN(TestCliOutcomes)
#include "tst_cli_outcomes.moc"
