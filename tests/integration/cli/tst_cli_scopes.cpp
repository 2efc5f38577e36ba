// headroom-cli against the sandbox's rate scopes, as an operator runs it: a
// real process, a limits file that shortens the long windows on both sides
// (the sandbox's config and the engine's --limits), and the sandbox's own
// counts as the judge of spacing.
#include "tests/support/CliProcess.h"
#include "tests/support/TestFiles.h"
#include "core/sandbox/SandboxThread.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

const QString kApp = QStringLiteral("customerio-app");
const QString kSegment = QStringLiteral("segment-public");

QByteArray trigger(int campaign, int row)
{
    return QStringLiteral(R"({"method":"POST","path":"/v1/campaigns/%1/triggers","body":{"ids":["r%2"]}})")
               .arg(campaign)
               .arg(row)
               .toUtf8()
           + '\n';
}

QByteArray transactional(int row)
{
    return QStringLiteral(R"({"method":"POST","path":"/v1/send/email","body":{"transactional_message_id":1,"identifiers":{"id":"t%1"}}})")
               .arg(row)
               .toUtf8()
           + '\n';
}

QByteArray otherAppCall(int row)
{
    const QString path = row % 2 == 0 ? QStringLiteral("/v1/customers/c%1/attributes") : QStringLiteral("/v1/segments/%1");
    return QStringLiteral(R"({"method":"GET","path":"%1"})").arg(path.arg(row)).toUtf8() + '\n';
}

// The `t` (answer time, wall ms) of each line of a run log whose lane ends with `laneSuffix`.
QList<qint64> answerTimes(const QString &runDir, const QString &laneSuffix)
{
    QList<qint64> times;
    QFile log(runDir + QStringLiteral("/requests.jsonl"));
    if (!log.open(QIODevice::ReadOnly))
        return times;
    while (!log.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(log.readLine()).object();
        if (line.value(QStringLiteral("lane")).toString().endsWith(laneSuffix)
            && line.value(QStringLiteral("decision")).toString() != QLatin1String("notice"))
            times << line.value(QStringLiteral("t")).toInteger();
    }
    return times;
}

QJsonObject scopeStats(const QJsonObject &stats, const QString &scope)
{
    return stats.value(QStringLiteral("scopes")).toObject().value(scope).toObject();
}

} // namespace

class TestCliScopes : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        return testing::writeFile(m_dir, name, content);
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
        return env;
    }

    QStringList runArgs(const QString &profile, const QString &file, const QString &limits, const QString &runDir)
    {
        QStringList args{QStringLiteral("run"), QStringLiteral("--profile"), profile, QStringLiteral("--file"), file,
                         QStringLiteral("--limits"), limits, QStringLiteral("--margin"), QStringLiteral("25ms"),
                         QStringLiteral("--base-url"), m_sandbox.baseUrl(profile).toString(),
                         QStringLiteral("--run-dir"), runDir, QStringLiteral("--progress"), QStringLiteral("none")};
        if (profile == kApp)
            args << QStringLiteral("--mapping") << writeFile(QStringLiteral("request-mapping.json"), R"({"operation":"request"})");
        return args;
    }

    testing::ProcessResult runCli(const QStringList &args)
    {
        return testing::runProcess(QStringLiteral(HEADROOM_CLI), args, environment(), 90000);
    }

    // The App API with its documented limits (10 per 1 s in general, 100 per
    // 1 s for transactional sends, the workspace's) and a campaign's "10 s"
    // shortened to `campaignWindow`.
    void startAppSandbox(Duration campaignWindow)
    {
        sandbox::SandboxConfig config;
        config.apis[kApp].limit = 1;
        config.apis[kApp].window = campaignWindow;
        m_sandbox.stop();
        QVERIFY(m_sandbox.start(config));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cleanupTestCase() { m_sandbox.stop(); }

    void mixedAppFileRunsEveryScopeAtItsLimit()
    {
        startAppSandbox(1s);
        const QString limits = writeFile(QStringLiteral("app-limits.json"), R"({"profile":"customerio-app","scopes":[
            {"name":"broadcasts","windows":[{"limit":1,"per":"1s"}]}]})");
        // Triggers lead, so a reader that waited for them would hold the rest back.
        QByteArray lines;
        int row = 0;
        for (int i = 0; i < 3; ++i) {
            lines += trigger(1, ++row);
            lines += trigger(2, ++row);
        }
        for (int i = 0; i < 60; ++i)
            lines += transactional(++row);
        for (int i = 0; i < 20; ++i)
            lines += otherAppCall(++row);
        const QString file = writeFile(QStringLiteral("mixed.jsonl"), lines);
        const QString runDir = m_dir.filePath(QStringLiteral("mixed-run"));
        const testing::ProcessResult r = runCli(runArgs(kApp, file, limits, runDir));
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QJsonObject s = testing::readJson(runDir + QStringLiteral("/summary.json"));
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), row);
        const qint64 throttled = s.value(QStringLiteral("responses_429")).toInteger();
        QCOMPARE(s.value(QStringLiteral("requests")).toInteger(), row + throttled);
        const double elapsed = s.value(QStringLiteral("elapsed_s")).toDouble();
        qInfo("mixed App file: %d rows in %.2f s (shortest 2.0 s: each campaign's third trigger 2 s after its first), %lld 429s",
              row, elapsed, throttled);
        QVERIFY2(elapsed >= 1.9 && elapsed < 4.0, qPrintable(QString::number(elapsed)));

        // As the server counted them: one trigger per campaign in any second,
        // at most 10 general calls in any second.
        // At the documented limits a scope meets at most one 429 (arrival
        // jitter on loaded cores; its lane then widens its margin): 0 on a quiet machine.
        const QJsonObject stats = m_sandbox.stats();
        for (int campaign : {1, 2}) {
            const QJsonObject scope = scopeStats(stats, QStringLiteral("customerio-app/sandbox-token/campaign/%1").arg(campaign));
            QCOMPARE(scope.value(QStringLiteral("accepted")).toInteger(), 3);
            QCOMPARE(scope.value(QStringLiteral("maxInWindow")).toInteger(), 1);
            QVERIFY(scope.value(QStringLiteral("rejected")).toInteger() <= 1);
        }
        const QJsonObject general = scopeStats(stats, QStringLiteral("customerio-app/sandbox-token"));
        QCOMPARE(general.value(QStringLiteral("accepted")).toInteger(), 20);
        QVERIFY(general.value(QStringLiteral("maxInWindow")).toInteger() <= 10);
        QVERIFY(general.value(QStringLiteral("rejected")).toInteger() <= 1);
        const QJsonObject sends = scopeStats(stats, QStringLiteral("customerio-track/sandbox-site"));
        QVERIFY(sends.value(QStringLiteral("rejected")).toInteger() <= 1);
        QCOMPARE(stats.value(QStringLiteral("rejectedTotal")).toInteger(), throttled);

        // Transactional sends went on meanwhile: all answered before either
        // campaign's second trigger, a window after its first.
        const QList<qint64> sendAnswers = answerTimes(runDir, QStringLiteral(" transactional"));
        QVERIFY(sendAnswers.size() >= 60);
        for (int campaign : {1, 2}) {
            const QList<qint64> triggers = answerTimes(runDir, QStringLiteral(" broadcasts:campaign=%1").arg(campaign));
            QVERIFY(triggers.size() >= 3);
            const qint64 lastSend = *std::max_element(sendAnswers.begin(), sendAnswers.end());
            QVERIFY2(lastSend < triggers.at(1), qPrintable(QStringLiteral("last send %1, second trigger %2").arg(lastSend).arg(triggers.at(1))));
        }
    }

    void segmentFiveAndSixtyPerMinuteEndpoints()
    {
        // Destination subscriptions (5 per minute) and labels (60 per
        // minute), the minute shortened to 1 s on both sides, under a token
        // budget of 200 per 1 s.
        sandbox::SandboxConfig config;
        config.apis[kSegment].limit = 200;
        config.apis[kSegment].window = 1s;
        config.apis[kSegment].endpointMinuteMs = 1000;
        m_sandbox.stop();
        QVERIFY(m_sandbox.start(config));
        const QString limits = writeFile(QStringLiteral("segment-limits.json"), R"({"profile":"segment-public","scopes":[
            {"name":"main","windows":[{"limit":200,"per":"1s"}]},
            {"name":"destination-subscriptions","windows":[{"limit":5,"per":"1s"}]},
            {"name":"labels","windows":[{"limit":60,"per":"1s"}]}]})");
        QByteArray lines;
        for (int i = 0; i < 15; ++i)
            lines += QStringLiteral(R"({"method":"POST","path":"/destinations/d1/subscriptions","body":{"name":"s%1"}})").arg(i).toUtf8() + '\n';
        for (int i = 0; i < 120; ++i)
            lines += QStringLiteral(R"({"method":"POST","path":"/labels","body":{"key":"k%1"}})").arg(i).toUtf8() + '\n';
        const QString file = writeFile(QStringLiteral("segment.jsonl"), lines);
        const QString runDir = m_dir.filePath(QStringLiteral("segment-run"));
        const testing::ProcessResult r = runCli(runArgs(kSegment, file, limits, runDir));
        QVERIFY2(r.exitCode == 0, r.err.constData());

        const QJsonObject s = testing::readJson(runDir + QStringLiteral("/summary.json"));
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), 135);
        const double elapsed = s.value(QStringLiteral("elapsed_s")).toDouble();
        const QJsonObject stats = m_sandbox.stats();
        const QJsonObject subscriptions = scopeStats(stats, QStringLiteral("segment-public/sandbox-token/endpoint/destination-subscriptions"));
        const QJsonObject labels = scopeStats(stats, QStringLiteral("segment-public/sandbox-token/endpoint/labels"));
        qInfo("segment: 15 subscriptions + 120 labels in %.2f s (shortest 2.0 s); 429s %lld (subscriptions %lld, labels %lld)",
              elapsed, s.value(QStringLiteral("responses_429")).toInteger(),
              subscriptions.value(QStringLiteral("rejected")).toInteger(), labels.value(QStringLiteral("rejected")).toInteger());
        // At most one 429 per scope, and none past the endpoints' windows as the server counted them.
        QVERIFY(subscriptions.value(QStringLiteral("rejected")).toInteger() <= 1);
        QVERIFY(labels.value(QStringLiteral("rejected")).toInteger() <= 1);
        QCOMPARE(subscriptions.value(QStringLiteral("accepted")).toInteger(), 15);
        QCOMPARE(labels.value(QStringLiteral("accepted")).toInteger(), 120);
        QVERIFY(subscriptions.value(QStringLiteral("maxInWindow")).toInteger() <= 5);
        QVERIFY(labels.value(QStringLiteral("maxInWindow")).toInteger() <= 60);
        // 15 subscriptions take three windows; the labels do not wait for them.
        QVERIFY2(elapsed >= 1.9 && elapsed < 4.0, qPrintable(QString::number(elapsed)));
        const QList<qint64> labelTimes = answerTimes(runDir, QStringLiteral(" labels"));
        const QList<qint64> subscriptionTimes = answerTimes(runDir, QStringLiteral(" destination-subscriptions"));
        QVERIFY(*std::max_element(labelTimes.begin(), labelTimes.end())
                < *std::max_element(subscriptionTimes.begin(), subscriptionTimes.end()));
    }

    void resumeKeepsEachScopesState()
    {
        // Two campaigns, 1 trigger per 3 s each; the run is stopped as soon
        // as both first triggers are in and resumed at once. Each campaign's
        // lane comes back with its own send time, so its second trigger
        // waits for its window and the server refuses nothing.
        startAppSandbox(3s);
        const QString limits = writeFile(QStringLiteral("resume-limits.json"), R"({"profile":"customerio-app","scopes":[
            {"name":"broadcasts","windows":[{"limit":1,"per":"3s"}]}]})");
        QByteArray lines;
        int row = 0;
        for (int i = 0; i < 2; ++i) {
            lines += trigger(7, ++row);
            lines += trigger(8, ++row);
        }
        const QString file = writeFile(QStringLiteral("resume.jsonl"), lines);
        const QString runDir = m_dir.filePath(QStringLiteral("resume-run"));
        QProcess first;
        first.setProcessEnvironment(environment());
        first.start(QStringLiteral(HEADROOM_CLI), runArgs(kApp, file, limits, runDir));
        QVERIFY(first.waitForStarted());
        const auto accepted = [&](int campaign) {
            return scopeStats(m_sandbox.stats(), QStringLiteral("customerio-app/sandbox-token/campaign/%1").arg(campaign))
                .value(QStringLiteral("accepted"))
                .toInteger();
        };
        QTRY_VERIFY_WITH_TIMEOUT(accepted(7) == 1 && accepted(8) == 1, 10000);
        first.terminate();
        QVERIFY(first.waitForFinished(10000));
        QCOMPARE(first.exitCode(), 130);

        // The saved state is per scope key.
        QFile lanes(runDir + QStringLiteral("/lanes.json"));
        QVERIFY(lanes.open(QIODevice::ReadOnly));
        const QByteArray lanesText = lanes.readAll();
        QVERIFY2(lanesText.contains(" broadcasts:campaign=7\"") && lanesText.contains(" broadcasts:campaign=8\""),
                 lanesText.constData());

        const testing::ProcessResult resumed = runCli({QStringLiteral("resume"), QStringLiteral("--run-dir"), runDir,
                                                       QStringLiteral("--base-url"), m_sandbox.baseUrl(kApp).toString(),
                                                       QStringLiteral("--progress"), QStringLiteral("none")});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const QJsonObject s = testing::readJson(runDir + QStringLiteral("/summary.json"));
        qInfo("resumed: %.2f s, %lld 429s", s.value(QStringLiteral("elapsed_s")).toDouble(),
              s.value(QStringLiteral("responses_429")).toInteger());
        QCOMPARE(s.value(QStringLiteral("responses_429")).toInteger(), 0);
        const QJsonObject stats = m_sandbox.stats();
        for (int campaign : {7, 8}) {
            const QJsonObject scope = scopeStats(stats, QStringLiteral("customerio-app/sandbox-token/campaign/%1").arg(campaign));
            QCOMPARE(scope.value(QStringLiteral("accepted")).toInteger(), 2);
            QCOMPARE(scope.value(QStringLiteral("rejected")).toInteger(), 0);
            QCOMPARE(scope.value(QStringLiteral("maxInWindow")).toInteger(), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestCliScopes)
#include "tst_cli_scopes.moc"
