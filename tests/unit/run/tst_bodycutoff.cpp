// BodyCutOff: which answers' bodies are not the whole answer.
#include "core/run/BodyCutOff.h"

#include <QTest>

using namespace headroom;

class TestBodyCutOff : public QObject
{
    Q_OBJECT
private slots:
    void reason_data()
    {
        QTest::addColumn<bool>("oversized");
        QTest::addColumn<bool>("timedOut");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("transferFailed");
        QTest::addColumn<qint64>("announced"); // -1: no Content-Length
        QTest::addColumn<bool>("encoded");
        QTest::addColumn<bool>("head");
        QTest::addColumn<qint64>("bodySize");
        QTest::addColumn<QString>("expected");

        QTest::newRow("whole") << false << false << 200 << false << 10LL << false << false << 10LL << QString();
        QTest::newRow("over the cap") << true << false << 200 << true << -1LL << false << false << 0LL
                                      << QStringLiteral("response body over 1024 bytes: aborted");
        QTest::newRow("no answer") << false << false << 0 << true << -1LL << false << false << 0LL << QString();
        QTest::newRow("timed out") << false << true << 200 << true << 10LL << false << false << 3LL << QString();
        QTest::newRow("2xx with a transfer error") << false << false << 201 << true << -1LL << false << false << 3LL
                                                   << QStringLiteral("HTTP 201 whose body was cut off: closed");
        QTest::newRow("error on a 4xx is the server's answer") << false << false << 404 << true << -1LL << false << false << 3LL << QString();
        QTest::newRow("short of Content-Length") << false << false << 200 << false << 10LL << false << false << 4LL
                                                 << QStringLiteral("HTTP 200 whose body was cut off: 4 of 10 bytes");
        QTest::newRow("short 429 too") << false << false << 429 << false << 10LL << false << false << 4LL
                                       << QStringLiteral("HTTP 429 whose body was cut off: 4 of 10 bytes");
        QTest::newRow("decoded body has no comparable length") << false << false << 200 << false << 10LL << true << false << 40LL << QString();
        QTest::newRow("204 carries none") << false << false << 204 << false << 10LL << false << false << 0LL << QString();
        QTest::newRow("304 carries none") << false << false << 304 << false << 10LL << false << false << 0LL << QString();
        QTest::newRow("HEAD carries none") << false << false << 200 << false << 10LL << false << true << 0LL << QString();
    }

    void reason()
    {
        QFETCH(bool, oversized);
        QFETCH(bool, timedOut);
        QFETCH(int, status);
        QFETCH(bool, transferFailed);
        QFETCH(qint64, announced);
        QFETCH(bool, encoded);
        QFETCH(bool, head);
        QFETCH(qint64, bodySize);
        QFETCH(QString, expected);

        run::BodyCutOff::Facts facts;
        facts.oversized = oversized;
        facts.maxBytes = 1024;
        facts.timedOut = timedOut;
        facts.status = status;
        facts.transferFailed = transferFailed;
        facts.errorText = QStringLiteral("closed");
        if (announced >= 0)
            facts.announced = announced;
        facts.encoded = encoded;
        facts.head = head;
        facts.bodySize = bodySize;
        QCOMPARE(run::BodyCutOff::reason(facts), expected);
    }
};

QTEST_GUILESS_MAIN(TestBodyCutOff)
#include "tst_bodycutoff.moc"
