// The sandbox's pure decisions in virtual time: limit windows, the exact
// peak tracker, the HTTP parser, the fault dice, header formats and flags.
#include "core/clock/FakeClock.h"
#include "core/sandbox/FaultInjector.h"
#include "core/sandbox/HttpRequestParser.h"
#include "core/sandbox/RateHeaders.h"
#include "core/sandbox/RateWindow.h"
#include "core/sandbox/SandboxConfig.h"
#include "core/sandbox/WindowPeakTracker.h"

#include <QCommandLineParser>
#include <QtTest>

using namespace headroom;
using namespace headroom::sandbox;
using namespace std::chrono_literals;

class TestSandboxPure : public QObject
{
    Q_OBJECT

private slots:
    void slidingWindowAdmitsAtMostLimitInAnyWindow()
    {
        FakeClock clock;
        RateWindow window(3, 1s, WindowKind::Sliding);
        const TimePoint t0 = clock.now();
        QVERIFY(window.admit(t0).allowed);
        QVERIFY(window.admit(t0 + 100ms).allowed);
        const RateDecision third = window.admit(t0 + 200ms);
        QVERIFY(third.allowed);
        QCOMPARE(third.remaining, 0);
        const RateDecision fourth = window.admit(t0 + 500ms);
        QVERIFY(!fourth.allowed);
        QCOMPARE(fourth.retryIn, Duration(500ms)); // the first one leaves the window at t0 + 1 s
        QVERIFY(!window.admit(t0 + 999ms).allowed);
        QVERIFY(window.admit(t0 + 1s).allowed); // (t0, t0+1s]: the first no longer counts
        QVERIFY(!window.admit(t0 + 1s + 50ms).allowed);
        QVERIFY(window.admit(t0 + 1s + 100ms).allowed);
    }

    void fixedWindowOpensWithItsFirstRequestAndCountsRejections()
    {
        FakeClock clock;
        RateWindow window(2, 10s, WindowKind::Fixed);
        const TimePoint t0 = clock.now();
        QVERIFY(window.admit(t0).allowed);
        QVERIFY(window.admit(t0 + 1s).allowed);
        const RateDecision third = window.admit(t0 + 2s);
        QVERIFY(!third.allowed);
        QCOMPARE(third.consumed, 3);
        QCOMPARE(third.retryIn, Duration(8s));
        QCOMPARE(window.admit(t0 + 9s).consumed, 4);
        const RateDecision next = window.admit(t0 + 10s);
        QVERIFY(next.allowed);
        QCOMPARE(next.consumed, 1);
        QCOMPARE(next.fixedWindowStart, t0 + 10s);
    }

    void peakTrackerIsExact_data()
    {
        QTest::addColumn<QList<int>>("msTimes");
        QTest::addColumn<int>("windowMs");
        QTest::addColumn<int>("peak");
        QTest::newRow("spread") << QList<int>{0, 1000, 2000, 3000} << 1000 << 1;
        QTest::newRow("just inside") << QList<int>{0, 999} << 1000 << 2;
        QTest::newRow("burst in the middle") << QList<int>{0, 500, 900, 950, 1400, 1600} << 1000 << 4;
        QTest::newRow("two windows abutting") << QList<int>{0, 1, 2, 1002, 1003, 1004} << 1000 << 3;
    }
    void peakTrackerIsExact()
    {
        QFETCH(QList<int>, msTimes);
        QFETCH(int, windowMs);
        QFETCH(int, peak);
        FakeClock clock;
        WindowPeakTracker tracker{std::chrono::milliseconds(windowMs)};
        for (int ms : msTimes)
            tracker.add(clock.now() + std::chrono::milliseconds(ms));
        QCOMPARE(tracker.peak(), peak);
    }

    void parserHandlesPipelinedPartialAndChunked()
    {
        HttpRequestParser parser;
        HttpRequest r;
        parser.feed("PUT /a?x=1 HTTP/1.1\r\nContent-Length: 5\r\nX-Headroom-Row: 7\r\n\r\nhel");
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::NeedMore);
        parser.feed("loPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
                    "GET /c HTTP/1.0\r\n\r\n");
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::Ready);
        QCOMPARE(r.method, QByteArray("PUT"));
        QCOMPARE(r.path, QByteArray("/a"));
        QCOMPARE(r.queryValue("x"), QByteArray("1"));
        QCOMPARE(r.body, QByteArray("hello"));
        QCOMPARE(r.header("x-headroom-row"), QByteArray("7"));
        QVERIFY(r.keepAlive);
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::Ready);
        QCOMPARE(r.path, QByteArray("/b"));
        QCOMPARE(r.body, QByteArray("abcde"));
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::Ready);
        QCOMPARE(r.path, QByteArray("/c"));
        QVERIFY(!r.keepAlive); // HTTP/1.0 without keep-alive
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::NeedMore);
    }

    void parserRejectsBadInput_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("bad content-length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n") << 400;
        QTest::newRow("too large") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n") << 413;
        QTest::newRow("bad chunk") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
        QTest::newRow("header line without colon") << QByteArray("GET / HTTP/1.1\r\nnocolon\r\n\r\n") << 400;
        QTest::newRow("huge head") << QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(70000, 'a') << 431;
        // Before: buffered for ever, waiting for the line's end (637 MB measured).
        QTest::newRow("endless chunk-size line")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") + QByteArray(2000, '1') << 400;
        QTest::newRow("chunks beyond the body cap")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n") + QByteArray(1000, 'a') << 413;
    }
    void parserRejectsBadInput()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        HttpRequestParser parser(1024 * 1024);
        parser.feed(bytes);
        HttpRequest r;
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::Error);
        QCOMPARE(parser.errorStatus(), status);
    }

    void parserTakesChunksOnce()
    {
        // A body of 20,000 one-byte chunks, fed a chunk at a time: each byte is
        // examined about once (before: the body from its start at every feed).
        HttpRequestParser parser;
        HttpRequest r;
        qint64 fed = 0;
        auto feed = [&](const QByteArray &bytes) {
            parser.feed(bytes);
            fed += bytes.size();
        };
        feed("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 20'000; ++i) {
            feed("1\r\nx\r\n");
            QCOMPARE(parser.next(&r), HttpRequestParser::Result::NeedMore);
            QVERIFY(parser.bufferedBytes() < 256);
        }
        feed("0\r\n\r\n");
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::Ready);
        QCOMPARE(r.body, QByteArray(20'000, 'x'));
        QVERIFY2(parser.scannedBytes() <= 2 * fed, qPrintable(QString::number(parser.scannedBytes())));
        QCOMPARE(parser.bufferedBytes(), 0);
    }

    void parserOffersContinueOnce()
    {
        HttpRequestParser parser;
        HttpRequest r;
        parser.feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::NeedMore);
        QVERIFY(parser.takeContinueRequest());
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::NeedMore);
        QVERIFY(!parser.takeContinueRequest());
        parser.feed("body");
        QCOMPARE(parser.next(&r), HttpRequestParser::Result::Ready);
    }

    void faultDiceAreSeededAndBounded()
    {
        FaultPlan plan;
        plan.latencyMs = 100;
        plan.jitterMs = 50;
        plan.error503 = 0.25;
        FaultInjector a(7), b(7);
        int errors = 0;
        QSet<qint64> delays;
        for (int i = 0; i < 400; ++i) {
            const auto da = a.decide(plan, QStringLiteral("generic"));
            const auto db = b.decide(plan, QStringLiteral("generic"));
            QCOMPARE(da.errorStatus, db.errorStatus);
            QCOMPARE(da.delay, db.delay);
            QVERIFY(da.delay >= Duration(100ms) && da.delay <= Duration(150ms));
            errors += da.errorStatus == 503 ? 1 : 0;
            delays.insert(std::chrono::duration_cast<std::chrono::milliseconds>(da.delay).count());
        }
        QVERIFY2(errors > 60 && errors < 140, qPrintable(QString::number(errors)));
        QVERIFY(delays.size() > 10);
        plan.apis = {QStringLiteral("segment-public")};
        QCOMPARE(a.decide(plan, QStringLiteral("generic")).delay, Duration::zero());
    }

    void httpDateIsImfFixdate()
    {
        const WallTime t{std::chrono::seconds(784111777)}; // 1994-11-06 08:49:37 UTC
        QCOMPARE(RateHeaders::httpDate(t), QByteArray("Sun, 06 Nov 1994 08:49:37 GMT"));
        QCOMPARE(RateHeaders::ceilSeconds(1ms), 1);
        QCOMPARE(RateHeaders::ceilSeconds(1s), 1);
        QCOMPARE(RateHeaders::ceilSeconds(1001ms), 2);
    }

    void flagsOverrideDefaults()
    {
        QCommandLineParser parser;
        SandboxConfig::addFlags(parser);
        QVERIFY(parser.parse({"x", "--limit", "customerio-track=5/200ms", "--limit", "generic=7",
                              "--window-kind", "generic=fixed", "--retry-after", "generic=http-date",
                              "--hidden", "segment-public", "--ietf", "generic", "--latency-ms", "20",
                              "--jitter", "5", "--fault-503", "0.1", "--drop", "0.01", "--lifetime", "9",
                              "--outage-mode", "refuse"}));
        SandboxConfig config;
        QString error;
        QVERIFY2(config.applyFlags(parser, &error), qPrintable(error));
        QCOMPARE(config.policy("customerio-track").limit, 5);
        QCOMPARE(config.policy("customerio-track").windowMs(), 200);
        QCOMPARE(config.policy("generic").limit, 7);
        QCOMPARE(config.policy("generic").windowMs(), 1000);
        QCOMPARE(config.policy("generic").kind, WindowKind::Fixed);
        QCOMPARE(config.policy("generic").retryAfter, RetryAfterFormat::HttpDate);
        QVERIFY(config.policy("generic").ietfHeaders);
        QVERIFY(config.policy("segment-public").hidden);
        QCOMPARE(config.faults.latencyMs, 20);
        QCOMPARE(config.faults.jitterMs, 5);
        QCOMPARE(config.faults.error503, 0.1);
        QCOMPARE(config.faults.drop, 0.01);
        QCOMPARE(config.lifetimeSeconds, 9);
        QCOMPARE(config.faults.outageMode, OutageMode::Refuse);
    }

    void configRoundTripsThroughJson()
    {
        SandboxConfig config;
        config.apis["segment-tracking"].limit = 3;
        config.faults.error500 = 0.5;
        config.credentials.writeKeys = {"k1"};
        QString error;
        const SandboxConfig back = SandboxConfig::fromJson(config.toJson(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(back.toJson(), config.toJson());
    }
};

QTEST_GUILESS_MAIN(TestSandboxPure)
#include "tst_sandbox_pure.moc"
