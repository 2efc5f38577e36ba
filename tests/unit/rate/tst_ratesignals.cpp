#include "core/clock/FakeClock.h"
#include "core/rate/HttpDate.h"
#include "core/rate/RateSignalParser.h"

#include <QTest>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::FakeClock;
using headroom::rate::HttpDate;
using headroom::rate::RateSignalParser;
using headroom::rate::RateSignals;
using headroom::rate::ResetForm;

namespace {

// "Name: value" lines, as a server would send them.
RateSignalParser::HeaderList headers(const QByteArray &lines)
{
    RateSignalParser::HeaderList out;
    for (const QByteArray &line : lines.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        out.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return out;
}

qint64 ms(Duration d)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

constexpr qint64 none = -1;

} // namespace

class TestRateSignals : public QObject
{
    Q_OBJECT
private slots:
    void httpDate_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("epochSeconds"); // -1: must be refused

        QTest::newRow("IMF-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << qint64(784111777);
        QTest::newRow("RFC 850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << qint64(784111777);
        QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994") << qint64(784111777);
        QTest::newRow("RFC 5322 offset") << QByteArray("Sun, 6 Nov 1994 09:49:37 +0100") << qint64(784111777);
        QTest::newRow("RFC 5322 negative offset") << QByteArray("Sun, 06 Nov 1994 03:49:37 -0500") << qint64(784111777);
        QTest::newRow("no weekday") << QByteArray("06 Nov 1994 08:49:37 GMT") << qint64(784111777);
        QTest::newRow("two-digit year 2026") << QByteArray("Thursday, 01-Jan-26 00:00:30 GMT") << qint64(1767225630);
        QTest::newRow("leap day") << QByteArray("Thu, 29 Feb 2024 12:00:00 GMT") << qint64(1709208000);
        QTest::newRow("lower-case month") << QByteArray("Thu, 01 jan 2026 00:00:00 GMT") << qint64(1767225600);
        QTest::newRow("day 32") << QByteArray("Thu, 32 Jan 2026 00:00:00 GMT") << none;
        QTest::newRow("Feb 30") << QByteArray("Mon, 30 Feb 2026 00:00:00 GMT") << none;
        QTest::newRow("hour 24") << QByteArray("Thu, 01 Jan 2026 24:00:00 GMT") << none;
        QTest::newRow("unknown month") << QByteArray("Thu, 01 Foo 2026 00:00:00 GMT") << none;
        QTest::newRow("unknown zone") << QByteArray("Thu, 01 Jan 2026 00:00:00 XYZ") << none;
        QTest::newRow("no time") << QByteArray("Thu, 01 Jan 2026") << none;
        QTest::newRow("two months") << QByteArray("Jan Feb 01 2026 00:00:00") << none;
        QTest::newRow("empty") << QByteArray("") << none;
        QTest::newRow("number") << QByteArray("120") << none;
        QTest::newRow("garbage") << QByteArray("\x01\xff:::") << none;
        QTest::newRow("huge") << QByteArray(200, '1') << none;
    }

    void httpDate()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, epochSeconds);
        const auto parsed = HttpDate::parse(text);
        if (epochSeconds == none) {
            QVERIFY2(!parsed, text.constData());
            return;
        }
        QVERIFY2(parsed.has_value(), text.constData());
        QCOMPARE(qint64(std::chrono::duration_cast<std::chrono::seconds>(parsed->time_since_epoch()).count()),
                 epochSeconds);
    }

    // Real header strings per dialect. FakeClock's wall time is
    // 2026-01-01T00:00:00Z (a Thursday), epoch 1767225600.
    void dialects_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("rawHeaders");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("retryAfterMs");
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<qint64>("remaining");
        QTest::addColumn<qint64>("consumed");
        QTest::addColumn<qint64>("resetInMs");
        QTest::addColumn<int>("resetForm");
        QTest::addColumn<qint64>("windowMs");
        QTest::addColumn<qint64>("msBeforeNext");
        QTest::addColumn<int>("policies");

        const int noneForm = int(ResetForm::None);
        QTest::newRow("Retry-After seconds") << 429 << QByteArray("Retry-After: 120") << QByteArray()
                                             << qint64(120000) << none << none << none << none << noneForm << none << none << 0;
        QTest::newRow("Retry-After zero") << 429 << QByteArray("Retry-After: 0") << QByteArray()
                                          << qint64(0) << none << none << none << none << noneForm << none << none << 0;
        QTest::newRow("Retry-After decimal") << 429 << QByteArray("Retry-After: 1.5") << QByteArray()
                                             << qint64(1500) << none << none << none << none << noneForm << none << none << 0;
        QTest::newRow("Retry-After IMF-fixdate") << 503 << QByteArray("Retry-After: Thu, 01 Jan 2026 00:00:30 GMT")
                                                 << QByteArray() << qint64(30000) << none << none << none << none << noneForm << none << none << 0;
        QTest::newRow("Retry-After RFC 850") << 503 << QByteArray("Retry-After: Thursday, 01-Jan-26 00:00:45 GMT")
                                             << QByteArray() << qint64(45000) << none << none << none << none << noneForm << none << none << 0;
        QTest::newRow("Retry-After asctime") << 503 << QByteArray("Retry-After: Thu Jan  1 00:01:00 2026")
                                             << QByteArray() << qint64(60000) << none << none << none << none << noneForm << none << none << 0;
        QTest::newRow("Retry-After date in the past") << 429 << QByteArray("Retry-After: Wed, 31 Dec 2025 23:59:00 GMT")
                                                      << QByteArray() << qint64(0) << none << none << none << none << noneForm << none << none << 0;
        QTest::newRow("lower-case names") << 429 << QByteArray("retry-after: 7\nx-ratelimit-remaining: 0")
                                          << QByteArray() << qint64(7000) << none << qint64(0) << none << none << noneForm << none << none << 0;
        QTest::newRow("GitHub epoch reset")
            << 200
            << QByteArray("X-RateLimit-Limit: 5000\nX-RateLimit-Remaining: 4999\nX-RateLimit-Used: 1\n"
                          "X-RateLimit-Reset: 1767229200\nX-RateLimit-Resource: core")
            << QByteArray() << none << qint64(5000) << qint64(4999) << qint64(1) << qint64(3600000)
            << int(ResetForm::EpochSeconds) << none << none << 0;
        QTest::newRow("Segment Public API date reset")
            << 200
            << QByteArray("X-RateLimit-Consumed: 3\nX-RateLimit-Remaining: 27\n"
                          "X-RateLimit-Reset: Thu, 01 Jan 2026 00:00:10 GMT")
            << QByteArray() << none << none << qint64(27) << qint64(3) << qint64(10000)
            << int(ResetForm::HttpDate) << none << none << 0;
        QTest::newRow("Segment Tracking 429 delta reset")
            << 429 << QByteArray("X-RateLimit-Limit: 500\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: 5")
            << QByteArray() << none << qint64(500) << qint64(0) << none << qint64(5000)
            << int(ResetForm::DeltaSeconds) << none << none << 0;
        QTest::newRow("epoch milliseconds reset") << 200 << QByteArray("X-RateLimit-Reset: 1767225605000")
                                                  << QByteArray() << none << none << none << none << qint64(5000)
                                                  << int(ResetForm::EpochMilliseconds) << none << none << 0;
        QTest::newRow("epoch reset just passed") << 200 << QByteArray("X-RateLimit-Reset: 1767225590")
                                                 << QByteArray() << none << none << none << none << qint64(0)
                                                 << int(ResetForm::EpochSeconds) << none << none << 0;
        QTest::newRow("Limit with policy suffix") << 200 << QByteArray("X-RateLimit-Limit: 10, 10;w=1")
                                                  << QByteArray() << none << qint64(10) << none << none << none << noneForm << none << none << 0;
        QTest::newRow("IETF policy and RateLimit")
            << 200 << QByteArray("RateLimit-Policy: \"default\";q=100;w=10\nRateLimit: \"default\";r=50;t=30")
            << QByteArray() << none << qint64(100) << qint64(50) << none << qint64(30000)
            << int(ResetForm::DeltaSeconds) << qint64(10000) << none << 1;
        QTest::newRow("IETF several policies, binding is the scarcest")
            << 200
            << QByteArray("RateLimit-Policy: \"burst\";q=100;w=1, \"daily\";q=1000;w=86400;qu=\"requests\"\n"
                          "RateLimit: \"burst\";r=80;t=1, \"daily\";r=5;t=3600")
            << QByteArray() << none << qint64(1000) << qint64(5) << none << qint64(3600000)
            << int(ResetForm::DeltaSeconds) << qint64(86400000) << none << 2;
        QTest::newRow("IETF fields split over header lines")
            << 200 << QByteArray("RateLimit-Policy: \"a\";q=10;w=1\nRateLimit-Policy: \"b\";q=20;w=2\nRateLimit: \"b\";r=0;t=2")
            << QByteArray() << none << qint64(20) << qint64(0) << none << qint64(2000)
            << int(ResetForm::DeltaSeconds) << qint64(2000) << none << 2;
        QTest::newRow("IETF token names and pk")
            << 200 << QByteArray("RateLimit-Policy: peruser;q=60;w=60;pk=:cHsdsRa894==:\nRateLimit: peruser;r=59;t=59")
            << QByteArray() << none << qint64(60) << qint64(59) << none << qint64(59000)
            << int(ResetForm::DeltaSeconds) << qint64(60000) << none << 1;
        QTest::newRow("IETF older bare-integer policy")
            << 200 << QByteArray("RateLimit-Policy: 100;w=60") << QByteArray() << none << qint64(100) << none << none
            << none << noneForm << qint64(60000) << none << 1;
        QTest::newRow("IETF older dictionary")
            << 200 << QByteArray("RateLimit: limit=100, remaining=50, reset=5") << QByteArray() << none
            << qint64(100) << qint64(50) << none << qint64(5000) << int(ResetForm::DeltaSeconds) << none << none << 1;
        QTest::newRow("older RateLimit-* names")
            << 200 << QByteArray("RateLimit-Limit: 100\nRateLimit-Remaining: 0\nRateLimit-Reset: 7") << QByteArray()
            << none << qint64(100) << qint64(0) << none << qint64(7000) << int(ResetForm::DeltaSeconds) << none << none << 0;
        QTest::newRow("Segment 429 body")
            << 429 << QByteArray("Content-Type: application/json")
            << QByteArray(R"({"errors":[{"message":"Too many requests","data":{"remainingPoints":0,"msBeforeNext":4123,"consumedPoints":31}}]})")
            << none << none << qint64(0) << qint64(31) << none << noneForm << none << qint64(4123) << 0;
        QTest::newRow("Segment 429 body with headers")
            << 429
            << QByteArray("X-RateLimit-Consumed: 30\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: Thu, 01 Jan 2026 00:00:04 GMT")
            << QByteArray(R"({"errors":[{"data":{"remainingPoints":0,"msBeforeNext":4500,"consumedPoints":31}}]})")
            << none << none << qint64(0) << qint64(30) << qint64(4000) << int(ResetForm::HttpDate) << none
            << qint64(4500) << 0;
        QTest::newRow("no rate headers") << 200 << QByteArray("Content-Type: text/plain") << QByteArray("ok") << none
                                         << none << none << none << none << noneForm << none << none << 0;
    }

    void dialects()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, rawHeaders);
        QFETCH(QByteArray, body);
        QFETCH(qint64, retryAfterMs);
        QFETCH(qint64, limit);
        QFETCH(qint64, remaining);
        QFETCH(qint64, consumed);
        QFETCH(qint64, resetInMs);
        QFETCH(int, resetForm);
        QFETCH(qint64, windowMs);
        QFETCH(qint64, msBeforeNext);
        QFETCH(int, policies);

        FakeClock clock;
        const RateSignals s = RateSignalParser::parse(status, headers(rawHeaders), body, clock);
        QVERIFY2(s.ignored.isEmpty(), qPrintable(s.ignored.join(QLatin1Char('|'))));
        QCOMPARE(s.status, status);
        QCOMPARE(s.retryAfter ? ms(*s.retryAfter) : none, retryAfterMs);
        if (s.retryAfter)
            QCOMPARE(ms(*s.retryAfterAt - clock.now()), retryAfterMs);
        QCOMPARE(s.limit.value_or(none), limit);
        QCOMPARE(s.remaining.value_or(none), remaining);
        QCOMPARE(s.consumed.value_or(none), consumed);
        QCOMPARE(s.resetAt ? ms(*s.resetAt - clock.now()) : none, resetInMs);
        QCOMPARE(int(s.resetForm), resetForm);
        QCOMPARE(s.window ? ms(*s.window) : none, windowMs);
        QCOMPARE(s.msBeforeNext ? ms(*s.msBeforeNext) : none, msBeforeNext);
        if (s.msBeforeNext)
            QCOMPARE(ms(*s.nextWindowAt - clock.now()), msBeforeNext);
        QCOMPARE(s.policies.size(), policies);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("rawHeaders");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("reason"); // a word the run log must show

        QTest::newRow("Retry-After word") << QByteArray("Retry-After: soon") << QByteArray() << QStringLiteral("neither");
        QTest::newRow("Retry-After negative") << QByteArray("Retry-After: -5") << QByteArray() << QStringLiteral("negative");
        QTest::newRow("Retry-After empty") << QByteArray("Retry-After: ") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("Retry-After overflow") << QByteArray("Retry-After: 999999999999999999999999999")
                                              << QByteArray() << QStringLiteral("too long");
        QTest::newRow("Retry-After ten days") << QByteArray("Retry-After: 864000") << QByteArray()
                                              << QStringLiteral("longer than");
        QTest::newRow("Retry-After date in 2100") << QByteArray("Retry-After: Fri, 31 Dec 2100 23:59:59 GMT")
                                                  << QByteArray() << QStringLiteral("away");
        QTest::newRow("Retry-After impossible date") << QByteArray("Retry-After: Thu, 32 Jan 2026 00:00:00 GMT")
                                                     << QByteArray() << QStringLiteral("neither");
        QTest::newRow("Retry-After two dots") << QByteArray("Retry-After: 1.2.3") << QByteArray()
                                              << QStringLiteral("neither");
        QTest::newRow("Remaining negative") << QByteArray("X-RateLimit-Remaining: -1") << QByteArray()
                                            << QStringLiteral("negative");
        QTest::newRow("Remaining trailing junk") << QByteArray("X-RateLimit-Remaining: 12abc") << QByteArray()
                                                 << QStringLiteral("whole number");
        QTest::newRow("Limit overflow") << QByteArray("X-RateLimit-Limit: 99999999999999999999999") << QByteArray()
                                        << QStringLiteral("too large");
        QTest::newRow("Limit decimal") << QByteArray("X-RateLimit-Limit: 10.5") << QByteArray()
                                       << QStringLiteral("whole number");
        QTest::newRow("Reset far future epoch ms") << QByteArray("X-RateLimit-Reset: 99999999999999") << QByteArray()
                                                   << QStringLiteral("away");
        QTest::newRow("Reset ancient epoch") << QByteArray("X-RateLimit-Reset: 1000000000") << QByteArray()
                                             << QStringLiteral("past");
        QTest::newRow("Reset delta of days") << QByteArray("X-RateLimit-Reset: 900000000") << QByteArray()
                                             << QStringLiteral("away");
        QTest::newRow("Reset word") << QByteArray("X-RateLimit-Reset: later") << QByteArray()
                                    << QStringLiteral("neither");
        QTest::newRow("Reset negative") << QByteArray("RateLimit-Reset: -3") << QByteArray()
                                        << QStringLiteral("negative");
        QTest::newRow("IETF negative r") << QByteArray("RateLimit: \"default\";r=-5;t=30") << QByteArray()
                                         << QStringLiteral("integer");
        QTest::newRow("IETF t of years") << QByteArray("RateLimit: \"default\";r=5;t=999999999") << QByteArray()
                                         << QStringLiteral("integer");
        QTest::newRow("IETF trailing comma") << QByteArray("RateLimit: \"default\";r=50;t=30,") << QByteArray()
                                             << QStringLiteral("structured-field");
        QTest::newRow("IETF quota a token") << QByteArray("RateLimit-Policy: \"default\";q=abc;w=10") << QByteArray()
                                            << QStringLiteral("integer");
        QTest::newRow("IETF inner list") << QByteArray("RateLimit: (\"a\" \"b\");r=1") << QByteArray()
                                         << QStringLiteral("inner lists");
        QTest::newRow("IETF unterminated string") << QByteArray("RateLimit-Policy: \"default;q=1") << QByteArray()
                                                  << QStringLiteral("unterminated");
        QTest::newRow("IETF integer too long") << QByteArray("RateLimit: \"d\";r=1234567890123456;t=1") << QByteArray()
                                               << QStringLiteral("15 digits");
        QTest::newRow("Segment negative msBeforeNext") << QByteArray()
                                                       << QByteArray(R"({"errors":[{"data":{"msBeforeNext":-5}}]})") << QStringLiteral("msBeforeNext");
        QTest::newRow("Segment msBeforeNext a string") << QByteArray()
                                                       << QByteArray(R"({"errors":[{"data":{"msBeforeNext":"soon"}}]})") << QStringLiteral("msBeforeNext");
        QTest::newRow("Segment msBeforeNext of days") << QByteArray()
                                                      << QByteArray(R"({"errors":[{"data":{"msBeforeNext":900000000}}]})") << QStringLiteral("msBeforeNext");
        QTest::newRow("control bytes") << QByteArray("Retry-After: \x01\x02\xff") << QByteArray()
                                       << QStringLiteral("neither");
    }

    void malformed()
    {
        QFETCH(QByteArray, rawHeaders);
        QFETCH(QByteArray, body);
        QFETCH(QString, reason);
        FakeClock clock;
        const RateSignals s = RateSignalParser::parse(429, headers(rawHeaders), body, clock);
        QVERIFY2(!s.ignored.isEmpty(), "a bad value must be reported");
        QVERIFY2(s.ignored.join(QLatin1Char('|')).contains(reason), qPrintable(s.ignored.join(QLatin1Char('|'))));
        // Nothing untrustworthy gets through, and nothing asks for a long wait.
        QVERIFY(!s.retryAfter);
        QVERIFY(!s.msBeforeNext);
        QVERIFY(!s.resetAt || *s.resetAt - clock.now() <= Duration(std::chrono::hours(25)));
        QVERIFY(!s.remaining || *s.remaining >= 0);
        const auto wait = s.serverWaitUntil();
        QVERIFY(!wait || *wait - clock.now() <= Duration(std::chrono::hours(1)));
    }

    void brokenJsonIsNotSegment()
    {
        FakeClock clock;
        const RateSignals s = RateSignalParser::parse(429, {}, QByteArray(R"({"errors":[{"data":{"msBeforeNext":)"), clock);
        QVERIFY(!s.msBeforeNext);
        QVERIFY(!s.hasRateInfo());
    }

    void firstHeaderWins()
    {
        FakeClock clock;
        const RateSignals s =
            RateSignalParser::parse(429, headers("Retry-After: 3\nRetry-After: 90"), QByteArray(), clock);
        QCOMPARE(ms(*s.retryAfter), qint64(3000));
    }

    void serverWaitPrefersTheMostPreciseSignal()
    {
        FakeClock clock;
        const RateSignals s = RateSignalParser::parse(
            429, headers("Retry-After: 5\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: 9"),
            QByteArray(R"({"errors":[{"data":{"msBeforeNext":4200}}]})"), clock);
        QCOMPARE(ms(*s.serverWaitUntil() - clock.now()), qint64(4200));
        const RateSignals r = RateSignalParser::parse(
            429, headers("Retry-After: 5\nX-RateLimit-Remaining: 0\nX-RateLimit-Reset: 9"), QByteArray(), clock);
        QCOMPARE(ms(*r.serverWaitUntil() - clock.now()), qint64(5000));
        const RateSignals t = RateSignalParser::parse(
            429, headers("X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 9"), QByteArray(), clock);
        QCOMPARE(ms(*t.serverWaitUntil() - clock.now()), qint64(9000));
    }

    void dateResetMovesWithTheClock()
    {
        FakeClock clock;
        clock.advance(4s);
        const RateSignals s = RateSignalParser::parse(
            200, headers("X-RateLimit-Reset: Thu, 01 Jan 2026 00:00:10 GMT"), QByteArray(), clock);
        QCOMPARE(ms(*s.resetAt - clock.now()), qint64(6000));
        QCOMPARE(s.resetResolution, Duration(1s));
    }

    void impliedLimitFromConsumedAndRemaining()
    {
        FakeClock clock;
        const RateSignals s = RateSignalParser::parse(
            200, headers("X-RateLimit-Consumed: 4\nX-RateLimit-Remaining: 26"), QByteArray(), clock);
        QVERIFY(!s.limit);
        QCOMPARE(s.impliedLimit().value_or(-1), qint64(30));
    }

    void statedLimitInA429Body_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("limit"); // none: not stated
        QTest::addColumn<qint64>("windowMs");

        QTest::newRow("customer.io app, plain") << 429 << QByteArray("rate limited to 10 requests per 1s") << 10ll << 1000ll;
        QTest::newRow("inside json") << 429 << QByteArray(R"({"meta":{"error":"rate limited to 100 requests per 1s"}})")
                                     << 100ll << 1000ll;
        QTest::newRow("broadcasts") << 429 << QByteArray("rate limited to 1 request per 10s") << 1ll << 10000ll;
        QTest::newRow("space before unit") << 429 << QByteArray("Rate limited to 5 requests per 1 m") << 5ll << 60000ll;
        QTest::newRow("word unit") << 429 << QByteArray("rate limited to 600 requests per minute") << 600ll << 60000ll;
        QTest::newRow("milliseconds") << 429 << QByteArray("rate limited to 3 requests per 500ms") << 3ll << 500ll;
        QTest::newRow("day") << 429 << QByteArray("rate limited to 50000 requests per 1d") << 50000ll << 86400000ll;
        QTest::newRow("not a 429") << 200 << QByteArray("rate limited to 10 requests per 1s") << none << none;
        QTest::newRow("no number") << 429 << QByteArray("rate limited to many requests per 1s") << none << none;
        QTest::newRow("zero") << 429 << QByteArray("rate limited to 0 requests per 1s") << none << none;
        QTest::newRow("ten digits") << 429 << QByteArray("rate limited to 1234567890 requests per 1s") << none << none;
        QTest::newRow("unknown unit") << 429 << QByteArray("rate limited to 10 requests per 1 fortnight") << none << none;
        QTest::newRow("window over a week") << 429 << QByteArray("rate limited to 10 requests per 30d") << none << none;
        QTest::newRow("past the bytes looked at")
            << 429 << QByteArray(8192, ' ') + QByteArray("rate limited to 10 requests per 1s") << none << none;
        QTest::newRow("empty") << 429 << QByteArray() << none << none;
    }

    void statedLimitInA429Body()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(qint64, limit);
        QFETCH(qint64, windowMs);
        FakeClock clock;
        const RateSignals s = RateSignalParser::parse(status, headers("Retry-After: 1"), body, clock);
        QCOMPARE(s.statedLimit.value_or(none), limit);
        QCOMPARE(s.statedWindow ? ms(*s.statedWindow) : none, windowMs);
        // Words in a body are no header: the pacer's inputs stay as the headers say.
        QVERIFY(!s.limit);
    }
};

QTEST_GUILESS_MAIN(TestRateSignals)
#include "tst_ratesignals.moc"
