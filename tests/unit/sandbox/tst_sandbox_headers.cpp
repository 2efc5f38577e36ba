// The sandbox's header dialects in virtual time: what X-RateLimit-Reset and
// Retry-After say for a given decision at a given wall-clock instant, and
// which headers an API's policy leaves out.
#include "core/sandbox/ApiPolicy.h"
#include "core/sandbox/RateHeaders.h"

#include <QtTest>

using namespace headroom;
using namespace headroom::sandbox;
using namespace std::chrono_literals;

namespace {

// 2027-01-15 08:00:00 UTC, a Friday, plus a fraction of a second per row.
const WallTime kWall0 = WallTime(std::chrono::seconds(1'800'000'000));

RateDecision decision(bool allowed, int resetMs, int retryMs)
{
    RateDecision d;
    d.allowed = allowed;
    d.limit = 60;
    d.remaining = allowed ? 5 : 0;
    d.consumed = allowed ? 55 : 61;
    d.window = 10s;
    d.resetIn = std::chrono::milliseconds(resetMs);
    d.retryIn = std::chrono::milliseconds(retryMs);
    return d;
}

} // namespace

Q_DECLARE_METATYPE(ResetFormat)
Q_DECLARE_METATYPE(RetryAfterFormat)

class TestSandboxHeaders : public QObject
{
    Q_OBJECT

private slots:
    void resetHeaderForms_data()
    {
        QTest::addColumn<ResetFormat>("format");
        QTest::addColumn<int>("wallMs"); // into the whole second of kWall0
        QTest::addColumn<int>("resetMs");
        QTest::addColumn<QByteArray>("expected");
        // The window ends at 08:00:01.800.
        QTest::newRow("date rounded up") << ResetFormat::HttpDate << 300 << 1500
                                         << QByteArray("Fri, 15 Jan 2027 08:00:02 GMT");
        // Date.toUTCString drops the milliseconds: floor(end), up to 1 s early.
        QTest::newRow("date truncated (toUTCString)") << ResetFormat::HttpDateTruncated << 300 << 1500
                                                      << QByteArray("Fri, 15 Jan 2027 08:00:01 GMT");
        QTest::newRow("date truncated, end on a whole second") << ResetFormat::HttpDateTruncated << 0 << 2000
                                                               << QByteArray("Fri, 15 Jan 2027 08:00:02 GMT");
        QTest::newRow("date truncated, end just before a second") << ResetFormat::HttpDateTruncated << 0 << 2999
                                                                  << QByteArray("Fri, 15 Jan 2027 08:00:02 GMT");
        QTest::newRow("delta seconds, rounded up") << ResetFormat::DeltaSeconds << 300 << 1500 << QByteArray("2");
        QTest::newRow("epoch seconds, rounded up") << ResetFormat::EpochSeconds << 300 << 1500
                                                   << QByteArray("1800000002");
    }
    void resetHeaderForms()
    {
        QFETCH(ResetFormat, format);
        QFETCH(int, wallMs);
        QFETCH(int, resetMs);
        QFETCH(QByteArray, expected);
        ApiPolicy policy;
        policy.xRateLimit = XRateLimitMode::Always;
        policy.resetFormat = format;
        HttpResponse response;
        RateHeaders::apply(response, policy, decision(true, resetMs, 0), kWall0 + std::chrono::milliseconds(wallMs));
        QCOMPARE(response.header("X-RateLimit-Reset"), expected);
    }

    void retryAfterForms_data()
    {
        QTest::addColumn<RetryAfterFormat>("format");
        QTest::addColumn<int>("constantSeconds");
        QTest::addColumn<int>("retryMs");
        QTest::addColumn<QByteArray>("expected"); // empty: no header
        QTest::newRow("seconds, rounded up") << RetryAfterFormat::Seconds << 1 << 1500 << QByteArray("2");
        QTest::newRow("seconds, never 0") << RetryAfterFormat::Seconds << 1 << 200 << QByteArray("1");
        QTest::newRow("http-date") << RetryAfterFormat::HttpDate << 1 << 1500
                                   << QByteArray("Fri, 15 Jan 2027 08:00:02 GMT");
        QTest::newRow("absent") << RetryAfterFormat::None << 1 << 1500 << QByteArray();
        // Shorter than the truth: the window needs 8 s, the header says 1.
        QTest::newRow("constant 1 s while 8 s are needed") << RetryAfterFormat::Constant << 1 << 8000 << QByteArray("1");
        QTest::newRow("constant 2 s") << RetryAfterFormat::Constant << 2 << 300 << QByteArray("2");
    }
    void retryAfterForms()
    {
        QFETCH(RetryAfterFormat, format);
        QFETCH(int, constantSeconds);
        QFETCH(int, retryMs);
        QFETCH(QByteArray, expected);
        ApiPolicy policy;
        policy.retryAfter = format;
        policy.retryAfterSeconds = constantSeconds;
        HttpResponse response;
        RateHeaders::apply(response, policy, decision(false, retryMs, retryMs), kWall0 + 300ms);
        QCOMPARE(response.header("Retry-After"), expected);
        QVERIFY(response.header("X-RateLimit-Reset").isEmpty()); // xRateLimit off by default

        // Never on an accepted answer.
        HttpResponse ok;
        RateHeaders::apply(ok, policy, decision(true, retryMs, 0), kWall0);
        QVERIFY(ok.header("Retry-After").isEmpty());
    }

    void xRateLimitFieldsAreOptional_data()
    {
        QTest::addColumn<bool>("withLimit");
        QTest::addColumn<bool>("withConsumed");
        QTest::addColumn<int>("advertised");
        QTest::addColumn<QByteArray>("limitHeader");
        QTest::addColumn<QByteArray>("consumedHeader");
        QTest::newRow("all") << true << true << 0 << QByteArray("60") << QByteArray("55");
        QTest::newRow("Segment: no Limit") << false << true << 0 << QByteArray() << QByteArray("55");
        QTest::newRow("no Consumed") << true << false << 0 << QByteArray("60") << QByteArray();
        QTest::newRow("Remaining and Reset only") << false << false << 0 << QByteArray() << QByteArray();
        // The workspace allows 60, the header (like the docs) says 100.
        QTest::newRow("advertised above the real limit") << true << true << 100 << QByteArray("100") << QByteArray("55");
    }
    void xRateLimitFieldsAreOptional()
    {
        QFETCH(bool, withLimit);
        QFETCH(bool, withConsumed);
        QFETCH(int, advertised);
        QFETCH(QByteArray, limitHeader);
        QFETCH(QByteArray, consumedHeader);
        ApiPolicy policy;
        policy.xRateLimit = XRateLimitMode::Always;
        policy.xRateLimitLimit = withLimit;
        policy.xRateLimitConsumed = withConsumed;
        policy.advertisedLimit = advertised;
        policy.ietfHeaders = true;
        HttpResponse response;
        RateHeaders::apply(response, policy, decision(true, 1500, 0), kWall0);
        QCOMPARE(response.header("X-RateLimit-Limit"), limitHeader);
        QCOMPARE(response.header("X-RateLimit-Consumed"), consumedHeader);
        QCOMPARE(response.header("X-RateLimit-Remaining"), QByteArray("5"));
        QVERIFY(!response.header("X-RateLimit-Reset").isEmpty());
        QCOMPARE(response.header("RateLimit-Policy"),
                 QByteArray("\"default\";q=") + QByteArray::number(advertised > 0 ? advertised : 60) + ";w=10");
    }

    // Customer.io Track: a bare 429, whatever else the policy says.
    void hiddenSendsNoRateHeaderAtAll()
    {
        ApiPolicy policy;
        policy.hidden = true;
        policy.retryAfter = RetryAfterFormat::Seconds;
        policy.xRateLimit = XRateLimitMode::Always;
        policy.ietfHeaders = true;
        HttpResponse response;
        RateHeaders::apply(response, policy, decision(false, 1500, 1500), kWall0);
        QVERIFY(response.headers.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSandboxHeaders)
#include "tst_sandbox_headers.moc"
