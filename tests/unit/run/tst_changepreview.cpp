// What a change mode's preview says: the rows left out, what that saves at
// the limit, the rows to send.
#include "core/run/ChangePreview.h"

#include <QTest>

using headroom::run::ChangePreview;
using headroom::state::ChangeMode;

class TestChangePreview : public QObject
{
    Q_OBJECT

private slots:
    void text_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<qint64>("skipped");
        QTest::addColumn<qint64>("toSend");
        QTest::addColumn<double>("rate");
        QTest::addColumn<QString>("expected");
        QTest::newRow("the issue's example")
            << int(ChangeMode::ChangedOnly) << qint64(980112) << qint64(9888) << 100.0
            << "980,112 unchanged rows skipped: 2 h 43 min at 100/s; 9,888 rows to send";
        QTest::newRow("minutes") << int(ChangeMode::ChangedOnly) << qint64(25000) << qint64(0) << 100.0
                                 << "25,000 unchanged rows skipped: 4 min 10 s at 100/s; 0 rows to send";
        QTest::newRow("high rate") << int(ChangeMode::ChangedOnly) << qint64(990000) << qint64(10000) << 20000.0
                                   << "990,000 unchanged rows skipped: 50 s at 20,000/s; 10,000 rows to send";
        QTest::newRow("fractional rate") << int(ChangeMode::ChangedOnly) << qint64(10) << qint64(1) << 0.5
                                         << "10 unchanged rows skipped: 20 s at 0.5/s; 1 rows to send";
        QTest::newRow("no rate") << int(ChangeMode::ChangedOnly) << qint64(10) << qint64(1) << 0.0
                                 << "10 unchanged rows skipped; 1 rows to send";
        QTest::newRow("only-new") << int(ChangeMode::OnlyNew) << qint64(3) << qint64(1) << 0.0
                                  << "3 already known rows skipped; 1 rows to send";
        QTest::newRow("only-existing") << int(ChangeMode::OnlyExisting) << qint64(3) << qint64(1) << 0.0
                                       << "3 new rows skipped; 1 rows to send";
    }

    void text()
    {
        QFETCH(int, mode);
        QFETCH(qint64, skipped);
        QFETCH(qint64, toSend);
        QFETCH(double, rate);
        QFETCH(QString, expected);
        ChangePreview preview;
        preview.mode = ChangeMode(mode);
        preview.rowsSkipped = skipped;
        preview.rowsToSend = toSend;
        QCOMPARE(preview.text(rate), expected);
    }
};

QTEST_GUILESS_MAIN(TestChangePreview)
#include "tst_changepreview.moc"
