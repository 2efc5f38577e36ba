// CallSource, the pull end the dispatcher consumes: resume skipping, bad rows
// reported but never blocking good ones, progress, and batch fallbacks.
#include "core/imports/CallSource.h"

#include <QtTest>

using namespace headroom::imports;

namespace {

CallSourceOptions options(const QByteArray &csv, const QString &profile = QStringLiteral("customerio-track"))
{
    CallSourceOptions o;
    o.profile = profile;
    o.filePath = QStringLiteral("people.csv");
    o.bytes = csv;
    return o;
}

QByteArray people(int n)
{
    QByteArray csv("id,plan\n");
    for (int i = 1; i <= n; ++i)
        csv += "p" + QByteArray::number(i) + ",pro\n";
    return csv;
}

} // namespace

class TestCallSource : public QObject
{
    Q_OBJECT

private slots:
    void resumeSkipsDoneRows()
    {
        CallSourceOptions o = options("id,plan\np1,a\np2,b\n\"p3,c\np4,d\n");
        o.limits.maxRecordBytes = 8; // row 3's runaway quote becomes a bad row
        o.skip = [](qint64 row) { return row == 1 || row == 3; };
        CallSource source(o);
        QVERIFY(source.open());
        QList<qint64> rows;
        while (const auto call = source.next())
            rows += call->rows;
        QCOMPARE(rows, (QList<qint64>{2, 4}));
        QCOMPARE(source.skippedRows(), 2);
        QVERIFY(source.takeProblems().isEmpty()); // a skipped bad row was dealt with before
        QCOMPARE(source.totalRows(), std::optional<qint64>(4));
    }

    void badRowsAreReportedAndGoodOnesFlow()
    {
        CallSource source(options("id,plan\np1,a\np2\n,c\np4,d\n"));
        QVERIFY(source.open());
        QList<qint64> rows;
        while (const auto call = source.next())
            rows += call->rows;
        QCOMPARE(rows, (QList<qint64>{1, 4}));
        const QList<RowProblem> problems = source.takeProblems();
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems.at(0).row, 2);
        QCOMPARE(problems.at(0).file, QStringLiteral("people.csv"));
        QCOMPARE(problems.at(0).raw, QByteArray("p2"));
        QCOMPARE(problems.at(1).row, 3);
        QCOMPARE(problems.at(1).raw, QByteArray(",c"));
        QCOMPARE(source.badRows(), 2);
        QVERIFY(source.takeProblems().isEmpty());
    }

    // Dot-segment ids are bad rows where they would be path segments (the
    // mapping refuses them), and a call the run's last check refuses is a bad
    // row too, with the check's reason: neither is handed out to be sent.
    void pathShapingIdsAndRefusedCallsAreBadRows_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QList<qint64>>("sent");
        QTest::addColumn<QString>("reason");
        QTest::newRow("dot") << QByteArray("id,plan\n.,a\np2,b\n") << "customerio-track" << QList<qint64>{2}
                             << "value '.' in column 'id'";
        QTest::newRow("dot dot") << QByteArray("id,plan\n..,a\np2,b\n") << "customerio-track" << QList<qint64>{2}
                                 << "value '..' in column 'id'";
        QTest::newRow("three dots are a name") << QByteArray("id,plan\n...,a\np2,b\n") << "customerio-track"
                                               << QList<qint64>{1, 2} << QString();
        QTest::newRow("encoded dots are a name") << QByteArray("id,plan\n%2e%2e,a\n") << "customerio-track"
                                                 << QList<qint64>{1} << QString();
        QTest::newRow("segment ids are in the body") << QByteArray("id,plan\n..,a\n") << "segment-tracking"
                                                     << QList<qint64>{1} << QString();
        QTest::newRow("refused by the last check") << QByteArray("id,plan\nrefuse-me,a\np2,b\n") << "customerio-track"
                                                   << QList<qint64>{2} << "refused: /api/v1/customers/refuse-me";
    }

    void pathShapingIdsAndRefusedCallsAreBadRows()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, profile);
        QFETCH(QList<qint64>, sent);
        QFETCH(QString, reason);
        CallSourceOptions o = options(csv, profile);
        o.refuse = [](const ApiCall &call) {
            return call.path.contains(QStringLiteral("refuse-me")) ? QStringLiteral("refused: ") + call.path : QString();
        };
        CallSource source(o);
        QVERIFY(source.open());
        QList<qint64> rows;
        while (const auto call = source.next())
            rows += call->rows;
        QCOMPARE(rows, sent);
        const QList<RowProblem> problems = source.takeProblems();
        QCOMPARE(problems.size(), reason.isEmpty() ? 0 : 1);
        if (!reason.isEmpty()) {
            QCOMPARE(problems.constFirst().row, 1);
            QCOMPARE(problems.constFirst().line, 2);
            QVERIFY2(problems.constFirst().message.contains(reason), qPrintable(problems.constFirst().message));
        }
    }

    void progressAndTotals()
    {
        CallSourceOptions o = options(people(2000));
        o.limits.chunkBytes = 512;
        CallSource source(o);
        QVERIFY(source.open());
        double last = 0;
        int calls = 0;
        while (const auto call = source.next()) {
            ++calls;
            QVERIFY(source.progress() >= last);
            last = source.progress();
            if (calls == 1000) {
                QVERIFY(source.progress() > 0.3 && source.progress() < 0.7);
                QVERIFY(!source.totalRows().has_value()); // not known before the end
            }
        }
        QCOMPARE(calls, 2000);
        QCOMPARE(source.progress(), 1.0);
        QCOMPARE(source.totalRows(), std::optional<qint64>(2000));
        QCOMPARE(source.bytesRead(), source.fileSize());
    }

    void pullsOnlyWhatItReturns()
    {
        // Backpressure: one next() reads one row (plus at most one chunk), not the file.
        CallSourceOptions o = options(people(5000));
        o.limits.chunkBytes = 256;
        CallSource source(o);
        QVERIFY(source.open());
        QVERIFY(source.next().has_value());
        QVERIFY(source.rowsRead() < 50);
        QVERIFY(source.bytesRead() < 1024);
    }

    void customerIoItemTooBigForBatchGoesAlone()
    {
        // 60 attributes of 900 bytes: legal for a v1 identify (rules: 300 x 1,000 bytes)
        // but over the 32 KB a v2 batch item may carry: it is sent as a single call.
        QByteArray header("id");
        QByteArray big("big");
        for (int i = 0; i < 60; ++i) {
            header += ",a" + QByteArray::number(i);
            big += "," + QByteArray(900, 'v');
        }
        QByteArray csv = header + "\n" + "small" + QByteArray(",x").repeated(60) + "\n" + big + "\n";
        CallSourceOptions o = options(csv);
        o.batching = true;
        CallSource source(o);
        QVERIFY(source.open());
        QList<QString> ops;
        QList<QList<qint64>> rows;
        while (const auto call = source.next()) {
            ops << call->operation;
            rows << call->rows;
        }
        QCOMPARE(ops, (QList<QString>{QStringLiteral("identify"), QStringLiteral("batch")}));
        QCOMPARE(rows, (QList<QList<qint64>>{{2}, {1}}));
        QVERIFY(source.takeProblems().isEmpty());
    }

    void segmentMessageIdIsDerivedNotTheFileName()
    {
        CallSource source(options("id\nu1\n", QStringLiteral("segment-tracking")));
        QVERIFY(source.open());
        const auto call = source.next();
        QVERIFY(call);
        QVERIFY2(call->body.contains("\"messageId\":\"headroom-"), call->body.constData());
        QVERIFY(!call->body.contains("people.csv"));
    }

    // A mapping's message_id_prefix replaces "headroom-"; the derived rest
    // stays, so the same row under the same prefix gets the same messageId.
    void mappingsMessageIdPrefixIsUsed()
    {
        QString error;
        const auto mapping = Mapping::fromJson(R"({"message_id_prefix": "nightly-crm"})", &error);
        QVERIFY2(mapping, qPrintable(error));
        QByteArray ids[2];
        for (QByteArray &id : ids) {
            CallSourceOptions o = options("id\nu1\n", QStringLiteral("segment-tracking"));
            o.mapping = mapping;
            CallSource source(o);
            QVERIFY(source.open());
            const auto call = source.next();
            QVERIFY(call);
            const qsizetype at = call->body.indexOf("\"messageId\":\"");
            QVERIFY2(at >= 0, call->body.constData());
            id = call->body.mid(at + 13, call->body.indexOf('"', at + 13) - at - 13);
        }
        QVERIFY2(ids[0].startsWith("nightly-crm-"), ids[0].constData());
        QCOMPARE(ids[0].size(), qsizetype(12 + 26)); // the prefix, '-' and a ULID
        QCOMPARE(ids[1], ids[0]);
    }

    void unknownProfileIsFatal()
    {
        CallSource source(options("id\n1\n", QStringLiteral("mailchimp")));
        QVERIFY(!source.open());
        QVERIFY(source.fatalError().message.startsWith(QLatin1String("unknown profile 'mailchimp'")));
        QVERIFY(!source.next().has_value());
    }
};

QTEST_GUILESS_MAIN(TestCallSource)
#include "tst_callsource.moc"
