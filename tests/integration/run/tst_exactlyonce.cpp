// Exactly once in effect, against the real sandbox on 127.0.0.1: a server
// that accepts a request, applies it and then loses the answer. Keyed writes
// are retried with the same key and the sandbox, like the real APIs, drops the
// copies; a transactional send, which no API deduplicates, is dead-lettered as
// "may have been applied" instead of being sent twice.
#include "core/apis/ApiProfile.h"
#include "core/clock/SteadyClock.h"
#include "core/http/Credentials.h"
#include "core/imports/IdempotencyKey.h"
#include "core/run/Dispatcher.h"
#include "core/sandbox/SandboxThread.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

constexpr int kRows = 1500;

QByteArray eventsCsv(int rows)
{
    QByteArray csv("id,event,amount\n");
    for (int i = 1; i <= rows; ++i)
        csv += "c" + QByteArray::number(i) + ",paid," + QByteArray::number(i % 97) + '\n';
    return csv;
}

QByteArray recipientsCsv(int rows)
{
    QByteArray csv("id,email,coupon\n");
    for (int i = 1; i <= rows; ++i)
        csv += "c" + QByteArray::number(i) + ",c" + QByteArray::number(i) + "@example.com,SAVE" + QByteArray::number(i) + '\n';
    return csv;
}

run::LaneConfig laneFor(const sandbox::SandboxThread &sandbox, const QString &profileName)
{
    const apis::ApiProfile *profile = apis::ApiProfile::find(profileName);
    run::LaneConfig lane;
    lane.name = profileName;
    lane.baseUrl = sandbox.baseUrl(profileName);
    lane.credentials = http::Credentials::sandboxDefaults(*profile);
    lane.concurrency = 16;
    lane.randomSeed = 11;
    lane.retry.baseDelay = 20ms; // lost answers are the subject, not backoff
    return lane;
}

std::unique_ptr<imports::CallSource> sourceFor(const QByteArray &csv, const run::LaneConfig &lane,
                                               const QString &profile, std::optional<imports::Mapping> mapping = {})
{
    imports::CallSourceOptions options;
    options.profile = profile;
    options.bytes = csv;
    options.filePath = QStringLiteral("export.csv");
    options.format = imports::InputFormat::Csv;
    options.mapping = std::move(mapping);
    options.destination = imports::IdempotencyKey::destinationOf(profile, lane.baseUrl, lane.credentials.scopeName());
    return std::make_unique<imports::CallSource>(options);
}

// Dead letters as the run hands them to its files.
struct DeadLetters : run::RunObserver
{
    QList<run::FailedRows> failed;
    void rowsFailed(const run::FailedRows &rows) override { failed << rows; }
};

sandbox::SandboxConfig losingAnswers(const QString &api, double lostAnswer)
{
    sandbox::SandboxConfig config;
    sandbox::ApiPolicy policy = config.policy(api);
    policy.limit = 5000; // the limit is not the subject
    policy.window = 1s;
    config.apis.insert(api, policy);
    config.faults.lostAnswer = lostAnswer;
    config.faults.seed = 20; // the same answers are lost on every run
    return config;
}

} // namespace

class TestExactlyOnce : public QObject
{
    Q_OBJECT

    sandbox::SandboxThread m_sandbox;

    run::RunSummary runToEnd(run::Dispatcher &dispatcher)
    {
        QSignalSpy finished(&dispatcher, &run::Dispatcher::finished);
        dispatcher.start();
        if (finished.isEmpty())
            [&] { QVERIFY(finished.wait(120000)); }();
        return dispatcher.summary();
    }

private slots:
    void init() { m_sandbox.stop(); }
    void cleanupTestCase() { m_sandbox.stop(); }

    void lostAnswersTakeEffectOnce_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::newRow("customer.io events (id)") << QStringLiteral("customerio-track");
        QTest::newRow("segment track (messageId)") << QStringLiteral("segment-tracking");
    }
    void lostAnswersTakeEffectOnce()
    {
        QFETCH(QString, profile);
        QVERIFY(m_sandbox.start(losingAnswers(profile, 0.03)));
        const run::LaneConfig lane = laneFor(m_sandbox, profile);
        run::Dispatcher dispatcher(sourceFor(eventsCsv(kRows), lane, profile), {lane}, SteadyClock::instance());
        const run::RunSummary summary = runToEnd(dispatcher);
        const QJsonObject stats = m_sandbox.stats();
        const qint64 lost = stats.value(QStringLiteral("apis")).toObject().value(profile).toObject().value(QStringLiteral("lostAnswers")).toInteger();
        const qint64 dropped = stats.value(QStringLiteral("duplicatesDropped")).toInteger();
        const qint64 arrivals = stats.value(QStringLiteral("accepted")).toInteger();
        qInfo("%s: %lld requests sent, %lld arrived, %lld answers lost, %lld ambiguous attempts, %lld copies "
              "dropped by key, %lld duplicate effects",
              qPrintable(profile), summary.requests, arrivals, lost, summary.attemptsAmbiguous, dropped,
              stats.value(QStringLiteral("duplicates")).toInteger());

        QVERIFY2(lost >= kRows / 100, qPrintable(QString::number(lost))); // the faults happened
        // No row lost, none twice in effect.
        QCOMPARE(summary.rowsDone, kRows);
        QCOMPARE(summary.rowsFailed, 0);
        QCOMPARE(stats.value(QStringLiteral("distinctIdentities")).toInteger(), kRows);
        QCOMPARE(stats.value(QStringLiteral("duplicates")).toInteger(), 0);
        // Every lost answer brought a copy, and the key dropped each one.
        QVERIFY2(dropped >= lost, qPrintable(QStringLiteral("%1 < %2").arg(dropped).arg(lost)));
        QCOMPARE(arrivals, kRows + dropped);
        // What the run saw of it: each lost answer is an ambiguous attempt,
        // unless QNAM sent the request again on its own first (Qt 6.4 does,
        // once, for any method, when a kept-alive connection closes unanswered).
        QCOMPARE(summary.rowsAmbiguous, 0);
        QCOMPARE(summary.attemptsAmbiguous + (arrivals - summary.requests), lost);
    }

    void transactionalSendIsNotSentTwice()
    {
        const QString profile = QStringLiteral("customerio-app");
        QVERIFY(m_sandbox.start(losingAnswers(profile, 0.03)));
        const run::LaneConfig lane = laneFor(m_sandbox, profile);
        QString error;
        const auto mapping = imports::Mapping::fromJson(R"({"transactional_message_id": 3})", &error);
        QVERIFY2(mapping, qPrintable(error));
        const int rows = 500;
        run::Dispatcher dispatcher(sourceFor(recipientsCsv(rows), lane, profile, mapping), {lane},
                                   SteadyClock::instance());
        DeadLetters deadLetters;
        dispatcher.addObserver(&deadLetters);
        const run::RunSummary summary = runToEnd(dispatcher);
        const QJsonObject stats = m_sandbox.stats();
        const qint64 lost = stats.value(QStringLiteral("apis")).toObject().value(profile).toObject().value(QStringLiteral("lostAnswers")).toInteger();
        qInfo("transactional: %lld requests sent, %lld arrived, %lld answers lost, %lld rows ambiguous, %lld "
              "duplicate effects",
              summary.requests, stats.value(QStringLiteral("accepted")).toInteger(), lost, summary.rowsAmbiguous,
              stats.value(QStringLiteral("duplicates")).toInteger());

        QVERIFY(lost > 0);
        QCOMPARE(summary.requests, rows + summary.responses429);            // only throttled ones sent again
        QCOMPARE(stats.value(QStringLiteral("duplicates")).toInteger(), 0); // nor by anyone else
        QCOMPARE(summary.rowsAmbiguous, lost);
        QCOMPARE(summary.attemptsAmbiguous, lost);
        QCOMPARE(summary.rowsDone + summary.rowsAmbiguous, rows);
        QCOMPARE(summary.rowsFailed, summary.rowsAmbiguous);
        QCOMPARE(deadLetters.failed.size(), lost);
        for (const run::FailedRows &f : deadLetters.failed) {
            QCOMPARE(f.outcome.kind, run::AttemptOutcome::Kind::Ambiguous);
            QVERIFY2(f.reason.contains(QStringLiteral("may have been applied")), qPrintable(f.reason));
        }
    }

    void resendAmbiguousSendsTransactionalAgain()
    {
        const QString profile = QStringLiteral("customerio-app");
        QVERIFY(m_sandbox.start(losingAnswers(profile, 0.03)));
        run::LaneConfig lane = laneFor(m_sandbox, profile);
        lane.resendAmbiguous = true;
        QString error;
        const auto mapping = imports::Mapping::fromJson(R"({"transactional_message_id": 3})", &error);
        const int rows = 300;
        run::Dispatcher dispatcher(sourceFor(recipientsCsv(rows), lane, profile, mapping), {lane},
                                   SteadyClock::instance());
        const run::RunSummary summary = runToEnd(dispatcher);
        const QJsonObject stats = m_sandbox.stats();
        const qint64 lost = stats.value(QStringLiteral("apis")).toObject().value(profile).toObject().value(QStringLiteral("lostAnswers")).toInteger();
        QVERIFY(lost > 0);
        QCOMPARE(summary.rowsDone, rows);
        QCOMPARE(summary.rowsAmbiguous, 0);
        // The operator chose it: the lost ones were sent again (by QNAM or the
        // run), and each took effect twice.
        QCOMPARE(stats.value(QStringLiteral("duplicates")).toInteger(), lost);
    }
};

QTEST_GUILESS_MAIN(TestExactlyOnce)
#include "tst_exactlyonce.moc"
