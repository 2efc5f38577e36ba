#include "core/clock/DurationText.h"

#include <QTest>

using headroom::Duration;
using headroom::DurationText;
using namespace std::chrono_literals;

class TestDurationText : public QObject
{
    Q_OBJECT
private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("seconds") << "1s" << true << qint64(1000);
        QTest::newRow("bare number is seconds") << "10" << true << qint64(10000);
        QTest::newRow("milliseconds") << "200ms" << true << qint64(200);
        QTest::newRow("fraction") << "1.5s" << true << qint64(1500);
        QTest::newRow("minutes") << "2m" << true << qint64(120000);
        QTest::newRow("hours") << "1h" << true << qint64(3600000);
        QTest::newRow("spaces and case") << " 250MS " << true << qint64(250);
        QTest::newRow("empty") << "" << false << qint64(0);
        QTest::newRow("negative") << "-1s" << false << qint64(0);
        QTest::newRow("unknown unit") << "3 fortnights" << false << qint64(0);
        QTest::newRow("garbage") << "fast" << false << qint64(0);
        QTest::newRow("absurd") << "1e30s" << false << qint64(0);
        QTest::newRow("nan") << "nan" << false << qint64(0);
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, ms);
        const auto d = DurationText::parse(text);
        QCOMPARE(d.has_value(), valid);
        if (valid)
            QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(*d).count(), ms);
    }

    void formatRoundTrips()
    {
        QCOMPARE(DurationText::format(1s), QStringLiteral("1s"));
        QCOMPARE(DurationText::format(250ms), QStringLiteral("250ms"));
        QCOMPARE(DurationText::format(1500ms), QStringLiteral("1.5s"));
        for (Duration d : {Duration(1s), Duration(250ms), Duration(1500ms), Duration(10s)})
            QCOMPARE(*DurationText::parse(DurationText::format(d)), d);
    }
};

QTEST_GUILESS_MAIN(TestDurationText)
#include "tst_durationtext.moc"
