// Preflight's report: counts, the first bad rows with their lines, duplicate
// ids, payload-rule rejections and expected durations with and without batching.
#include "core/imports/Preflight.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonArray>
#include <QtTest>

using namespace headroom::imports;

class TestPreflight : public QObject
{
    Q_OBJECT

private slots:
    void countsEverything()
    {
        QByteArray csv("id,bio\n");
        for (int i = 1; i <= 1000; ++i)
            csv += "p" + QByteArray::number(i % 990 == 0 ? 1 : i) + ",hello\n"; // rows 990 repeat p1
        csv += "bad\n";                                                         // ragged: row 1001
        csv += "p2000," + QByteArray(1200, 'x') + "\n";                         // over 1,000 bytes: row 1002
        PreflightOptions o;
        o.source.profile = QStringLiteral("customerio-track");
        o.source.filePath = QStringLiteral("pf.csv");
        o.source.bytes = csv;
        o.rate = 100;
        o.windowSeconds = 1;
        const PreflightReport r = Preflight::run(o);
        QVERIFY(!r.fatal);
        QCOMPARE(r.rows, 1002);
        QCOMPARE(r.goodRows, 1000);
        QCOMPARE(r.badRows, 2);
        QCOMPARE(r.rejectedRows, 1);
        QCOMPARE(r.problems.size(), 2);
        QCOMPARE(r.problems.at(0).row, 1001);
        QCOMPARE(r.problems.at(0).line, 1002);
        QCOMPARE(r.problems.at(1).row, 1002);
        QVERIFY(r.problems.at(1).message.startsWith(QLatin1String("payload rule: value of attribute 'bio' is 1200 bytes")));
        QCOMPARE(r.duplicateIds, 1);
        QCOMPARE(r.duplicates.at(0).key, QByteArray("p1"));
        QCOMPARE(r.duplicates.at(0).row, 990);
        QCOMPARE(r.duplicates.at(0).firstRow, 1);
        QCOMPARE(r.operations.value(QStringLiteral("identify")), 1000);
        QCOMPARE(r.requestsUnbatched, 1000);
        QCOMPARE(r.requestsBatched, 1);
        QCOMPARE(r.secondsFor(r.requestsUnbatched), 10.0);
        QCOMPARE(r.batchEndpoint, QStringLiteral("/api/v2/batch"));

        const QJsonObject json = QJsonDocument::fromJson(r.toJson()).object();
        QCOMPARE(json.value(QLatin1String("rows")).toInteger(), 1002);
        QCOMPARE(json.value(QLatin1String("bad_rows")).toInteger(), 2);
        QCOMPARE(json.value(QLatin1String("duplicate_ids")).toInteger(), 1);
        QCOMPARE(json.value(QLatin1String("expected_s_unbatched")).toDouble(), 10.0);
        QCOMPARE(json.value(QLatin1String("expected_s_batched")).toDouble(), 0.01);
        QCOMPARE(json.value(QLatin1String("bad_rows_listed")).toArray().at(0).toObject().value(QLatin1String("line")).toInteger(), 1002);
        const QString text = r.toText();
        QVERIFY(text.contains(QLatin1String("pf.csv:1002:")));
        QVERIFY(text.contains(QLatin1String("1,000 without batching: 10 s at 100 per 1 s")));
    }

    // Customer.io Pipelines answers 200 to a call over 32 KB or a batch over
    // 500 KB and drops it, so preflight names each such row, all at once.
    void pipelinesOversizeRequestsAreBadRows()
    {
        const auto line = [](const char *path, const QByteArray &body) {
            return QByteArray("{\"method\":\"POST\",\"path\":\"") + path + "\",\"body\":" + body + "}\n";
        };
        const auto identify = [](const char *user, const QByteArray &bio) {
            return QByteArray("{\"type\":\"identify\",\"userId\":\"") + user + "\",\"traits\":{\"bio\":\"" + bio + "\"}}";
        };
        const QByteArray big(33000, 'x');
        const QByteArray item = identify("u", QByteArray(20000, 'y'));
        QByteArray batchOf26 = "{\"batch\":[";
        for (int i = 0; i < 26; ++i)
            batchOf26 += (i ? "," : "") + item; // 26 x 20 KB: over 500 KB
        batchOf26 += "]}";
        QByteArray file;
        file += line("/v1/identify", identify("u1", "a"));                      // row 1: fine
        file += line("/v1/identify", identify("u2", big));                      // row 2: a call over 32 KB
        file += line("/v1/group", "{\"userId\":\"u3\",\"groupId\":\"g1\"}");    // row 3: fine
        file += line("/v1/batch", "{\"batch\":[" + item + "," + item + "]}");   // row 4: 40 KB batch, fine
        file += line("/v1/batch", batchOf26);                                   // row 5: a batch over 500 KB
        file += line("/v1/batch", "{\"batch\":[" + identify("u6", big) + "]}"); // row 6: a call over 32 KB inside
        PreflightOptions o;
        o.source.profile = QStringLiteral("customerio-pipelines");
        o.source.filePath = QStringLiteral("cdp.jsonl");
        o.source.format = InputFormat::JsonLines;
        o.source.bytes = file;
        QString error;
        o.source.mapping = Mapping::fromJson("{\"operation\":\"request\"}", &error);
        const PreflightReport r = Preflight::run(o);
        QVERIFY(!r.fatal);
        QCOMPARE(r.rows, 6);
        QCOMPARE(r.goodRows, 3);
        QCOMPARE(r.badRows, 3);
        QCOMPARE(r.problems.size(), 3);
        QCOMPARE(r.problems.at(0).row, 2);
        QVERIFY2(r.problems.at(0).message.startsWith(QLatin1String("payload rule: the event is ")), qPrintable(r.problems.at(0).message));
        QVERIFY(r.problems.at(0).message.endsWith(QLatin1String("customerio-pipelines allows 32000 per event")));
        QCOMPARE(r.problems.at(1).row, 5);
        QVERIFY2(r.problems.at(1).message.contains(QLatin1String("customerio-pipelines allows 500000 per batch")), qPrintable(r.problems.at(1).message));
        QCOMPARE(r.problems.at(2).row, 6);
        QVERIFY2(r.problems.at(2).message.startsWith(QLatin1String("payload rule: batch[0] is ")), qPrintable(r.problems.at(2).message));
        QVERIFY(r.toText().contains(QLatin1String("cdp.jsonl:2:")));
    }

    void listsOnlyTheFirstHundred()
    {
        QByteArray csv("id,a\n");
        for (int i = 0; i < 250; ++i)
            csv += "x\n"; // ragged
        PreflightOptions o;
        o.source.profile = QStringLiteral("customerio-track");
        o.source.filePath = QStringLiteral("many.csv");
        o.source.bytes = csv;
        const PreflightReport r = Preflight::run(o);
        QCOMPARE(r.badRows, 250);
        QCOMPARE(r.problems.size(), 100);
        QCOMPARE(r.problems.last().row, 100);
    }

    void slowerRateMeansLonger_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("window");
        QTest::addColumn<double>("seconds");
        QTest::newRow("100/s") << 100.0 << 1.0 << 30.0;
        QTest::newRow("10/s") << 10.0 << 1.0 << 300.0;
        QTest::newRow("3000/3s") << 3000.0 << 3.0 << 3.0;
    }

    void slowerRateMeansLonger()
    {
        QFETCH(double, rate);
        QFETCH(double, window);
        QFETCH(double, seconds);
        QByteArray csv("id,event\n");
        for (int i = 0; i < 3000; ++i)
            csv += "u,e\n";
        PreflightOptions o;
        o.source.profile = QStringLiteral("segment-tracking");
        o.source.filePath = QStringLiteral("ev.csv");
        o.source.bytes = csv;
        o.rate = rate;
        o.windowSeconds = window;
        const PreflightReport r = Preflight::run(o);
        QCOMPARE(r.secondsFor(r.requestsUnbatched), seconds);
        QCOMPARE(r.requestsBatched, 2); // 3,000 events > 2,500 per Segment batch
        QCOMPARE(r.duplicateIds, 0);    // repeated events are not duplicates without event ids
    }

    void fatalFileError()
    {
        PreflightOptions o;
        o.source.profile = QStringLiteral("customerio-track");
        o.source.filePath = QStringLiteral("/nonexistent/x.csv");
        const PreflightReport r = Preflight::run(o);
        QVERIFY(r.fatal);
        QVERIFY(r.toText().startsWith(QLatin1String("Preflight failed: /nonexistent/x.csv: cannot open")));
    }
};

QTEST_GUILESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
