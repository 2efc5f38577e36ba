// AttemptRecordBuilder: the run-log line of one attempt, from the call, the
// rate signals and the lane's decision, in virtual time.
#include "core/rate/RateSignals.h"
#include "core/run/AttemptRecordBuilder.h"

#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;
using Kind = rate::RetryPolicy::Decision::Kind;

class TestAttemptRecordBuilder : public QObject
{
    Q_OBJECT
private slots:
    void build_data()
    {
        // Signals: -1 leaves one unset.
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("remaining");
        QTest::addColumn<qint64>("remainingPoints");
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<qint64>("consumed");
        QTest::addColumn<int>("retryAfterMs");
        QTest::addColumn<int>("msBeforeNext");
        QTest::addColumn<int>("resetInMs");
        QTest::addColumn<QString>("decision");
        QTest::addColumn<qint64>("expectRemaining");
        QTest::addColumn<qint64>("expectLimit");
        QTest::addColumn<double>("expectRetryAfterS");
        QTest::addColumn<double>("expectResetInS");

        QTest::newRow("done, no signals") << int(Kind::Done) << -1LL << -1LL << -1LL << -1LL << -1 << -1 << -1
                                          << QStringLiteral("done") << -1LL << -1LL << -1.0 << -1.0;
        QTest::newRow("retry after a 429's Retry-After") << int(Kind::RetryAt) << 0LL << -1LL << 100LL << -1LL << 2000 << -1 << 1500
                                                         << QStringLiteral("retry") << 0LL << 100LL << 2.0 << 1.5;
        QTest::newRow("Retry-After wins over msBeforeNext") << int(Kind::RetryAt) << -1LL << -1LL << -1LL << -1LL << 3000 << 500 << -1
                                                            << QStringLiteral("retry") << -1LL << -1LL << 3.0 << -1.0;
        QTest::newRow("remaining points and msBeforeNext (Segment)") << int(Kind::PauseLane) << -1LL << 7LL << -1LL << -1LL << -1 << 250 << -1
                                                                     << QStringLiteral("pause-lane") << 7LL << -1LL << 0.25 << -1.0;
        QTest::newRow("limit implied by consumed + remaining") << int(Kind::DeadLetter) << 3LL << -1LL << -1LL << 7LL << -1 << -1 << -1
                                                               << QStringLiteral("dead-letter") << 3LL << 10LL << -1.0 << -1.0;
        QTest::newRow("a reset already past reads 0") << int(Kind::SplitBatch) << -1LL << -1LL << -1LL << -1LL << -1 << -1 << -2000
                                                      << QStringLiteral("split") << -1LL << -1LL << -1.0 << 0.0;
    }

    void build()
    {
        QFETCH(int, kind);
        QFETCH(qint64, remaining);
        QFETCH(qint64, remainingPoints);
        QFETCH(qint64, limit);
        QFETCH(qint64, consumed);
        QFETCH(int, retryAfterMs);
        QFETCH(int, msBeforeNext);
        QFETCH(int, resetInMs);
        QFETCH(QString, decision);
        QFETCH(qint64, expectRemaining);
        QFETCH(qint64, expectLimit);
        QFETCH(double, expectRetryAfterS);
        QFETCH(double, expectResetInS);

        const TimePoint now = TimePoint{} + 1h;
        const WallTime wall = WallTime{} + 1700000000s;
        run::Job job;
        job.call.operation = QStringLiteral("identify");
        job.call.method = "PUT";
        job.call.path = QStringLiteral("/api/v1/customers/42");
        job.call.rows = {42, 43};
        job.attempt = 2;
        job.lastError = QStringLiteral("timeout");

        rate::RateSignals rateSignals;
        if (remaining >= 0)
            rateSignals.remaining = remaining;
        if (remainingPoints >= 0)
            rateSignals.remainingPoints = remainingPoints;
        if (limit >= 0)
            rateSignals.limit = limit;
        if (consumed >= 0)
            rateSignals.consumed = consumed;
        if (retryAfterMs >= 0)
            rateSignals.retryAfter = std::chrono::milliseconds(retryAfterMs);
        if (msBeforeNext >= 0)
            rateSignals.msBeforeNext = std::chrono::milliseconds(msBeforeNext);
        if (resetInMs != -1)
            rateSignals.resetAt = now + std::chrono::milliseconds(resetInMs);
        rateSignals.ignored = {QStringLiteral("X-RateLimit-Reset: 'abc' is not a number or date")};

        rate::RetryPolicy::Decision d;
        d.kind = Kind(kind);
        d.delay = 250ms;
        d.reason = QStringLiteral("because");

        const run::AttemptRecord r =
            run::AttemptRecordBuilder::build(QStringLiteral("lane a"), job, 429, 120ms, rateSignals, d, now, wall);
        QCOMPARE(r.wallMs, qint64(1700000000000));
        QCOMPARE(r.lane, QStringLiteral("lane a"));
        QCOMPARE(r.operation, QStringLiteral("identify"));
        QCOMPARE(r.method, QByteArray("PUT"));
        QCOMPARE(r.path, QStringLiteral("/api/v1/customers/42"));
        QCOMPARE(r.firstRow, qint64(42));
        QCOMPARE(r.rowCount, 2);
        QCOMPARE(r.attempt, 2);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.error, QStringLiteral("timeout"));
        QCOMPARE(r.latencyMs, 120.0);
        QCOMPARE(r.remaining, expectRemaining);
        QCOMPARE(r.limit, expectLimit);
        QCOMPARE(r.retryAfterS, expectRetryAfterS);
        QCOMPARE(r.resetInS, expectResetInS);
        QCOMPARE(r.ignoredSignals.size(), 1);
        QCOMPARE(r.decision, decision);
        QCOMPARE(r.delayMs, 250.0);
        QCOMPARE(r.reason, QStringLiteral("because"));
        QCOMPARE(r.outcome, job.lastOutcome.name());
    }
};

QTEST_GUILESS_MAIN(TestAttemptRecordBuilder)
#include "tst_attemptrecordbuilder.moc"
