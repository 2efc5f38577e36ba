// Batching: packing to the API limits, splitting on 413/oversize, and mapping
// per-item errors in a response back to rows.
#include "core/imports/Batcher.h"
#include "core/imports/CallSource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace headroom::imports;

Q_DECLARE_METATYPE(BatchResult::Action)

namespace {

ApiCall batchOf(Batcher &b, int n, qint64 firstRow = 1)
{
    for (int i = 0; i < n; ++i)
        b.add(QByteArray("{\"i\":") + QByteArray::number(i) + "}", firstRow + i, firstRow + i + 1);
    return b.take();
}

QString kinds(const BatchResult &r)
{
    QString s;
    for (const RowOutcome &o : r.rows)
        s += o.kind == RowOutcome::Kind::Done ? QLatin1Char('D') : o.kind == RowOutcome::Kind::Failed ? QLatin1Char('F')
                                                                                                      : QLatin1Char('R');
    return s;
}

} // namespace

class TestBatcher : public QObject
{
    Q_OBJECT

private slots:
    void packsBySize()
    {
        Batcher b(Batcher::Dialect::CustomerIo, BatchLimits{100, 0, 50}, QStringLiteral("/api/v2/batch"));
        const QByteArray item(20, 'x'); // not JSON: packing only counts bytes
        int packed = 0;
        while (b.fits(item.size())) {
            b.add(item, packed + 1, packed + 2);
            ++packed;
        }
        // {"batch":[ + 20 + (,20)*k + ]} <= 100  ->  12 + 20 + 21*(k-1) <= 100  ->  k = 4
        QCOMPARE(packed, 4);
        const ApiCall call = b.take();
        QVERIFY(call.body.size() <= 100);
        QCOMPARE(call.rows, (QList<qint64>{1, 2, 3, 4}));
        QCOMPARE(call.lines, (QList<qint64>{2, 3, 4, 5}));
        QCOMPARE(call.path, QStringLiteral("/api/v2/batch"));
        QCOMPARE(call.method, QByteArray("POST"));
        QVERIFY(b.isEmpty());
    }

    void packsByCount()
    {
        Batcher b(Batcher::Dialect::Segment, BatchLimits{1 << 20, 3, 100}, QStringLiteral("/v1/batch"));
        int packed = 0;
        while (b.fits(5)) {
            b.add("{}", packed + 1, 0);
            ++packed;
        }
        QCOMPARE(packed, 3);
    }

    void sourcePacksRealRowsWithinLimits_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<int>("rows");
        QTest::addColumn<qsizetype>("maxBytes");
        QTest::addColumn<int>("maxItems");
        QTest::newRow("customer.io 500 KB") << QStringLiteral("customerio-track") << 20000 << qsizetype(500000) << 0;
        QTest::newRow("segment 500 KB and 2,500 events") << QStringLiteral("segment-tracking") << 20000 << qsizetype(500000) << 2500;
    }

    void sourcePacksRealRowsWithinLimits()
    {
        QFETCH(QString, profile);
        QFETCH(int, rows);
        QFETCH(qsizetype, maxBytes);
        QFETCH(int, maxItems);
        QByteArray csv("id,email,plan\n");
        for (int i = 1; i <= rows; ++i)
            csv += "user-" + QByteArray::number(i) + ",u" + QByteArray::number(i) + "@example.com,pro\n";
        CallSourceOptions o;
        o.profile = profile;
        o.filePath = QStringLiteral("b.csv");
        o.bytes = csv;
        o.batching = true;
        CallSource source(o);
        QVERIFY(source.open());
        QList<qint64> seen;
        int calls = 0;
        while (const auto call = source.next()) {
            ++calls;
            QVERIFY(call->body.size() <= maxBytes);
            if (maxItems > 0)
                QVERIFY(call->rows.size() <= maxItems);
            const QJsonDocument doc = QJsonDocument::fromJson(call->body);
            const QJsonArray items = doc.object().value(QLatin1String("batch")).toArray();
            QCOMPARE(items.size(), call->rows.size()); // item i is rows[i]
            const QString firstId = profile.startsWith(QLatin1String("segment"))
                                        ? items.first().toObject().value(QLatin1String("userId")).toString()
                                        : items.first().toObject().value(QLatin1String("identifiers")).toObject().value(QLatin1String("id")).toString();
            QCOMPARE(firstId, QStringLiteral("user-%1").arg(call->rows.first()));
            seen += call->rows;
        }
        QCOMPARE(seen.size(), rows);
        QCOMPARE(seen.first(), 1);
        QCOMPARE(seen.last(), rows);
        QVERIFY(calls < rows / 100); // batching actually batches
        QCOMPARE(source.totalRows(), std::optional<qint64>(rows));
    }

    void splitHalvesKeepRowsAndBytes()
    {
        Batcher b(Batcher::Dialect::Segment, BatchLimits{}, QStringLiteral("/v1/batch"));
        b.add("{\"a\":12345678901234567890,\"s\":\"x,]}\"}", 1, 2);
        b.add("{\"b\":1.50}", 2, 3);
        b.add("{\"c\":[1,{\"d\":2}]}", 3, 4);
        const ApiCall call = b.take();
        const QList<ApiCall> halves = b.split(call);
        QCOMPARE(halves.size(), 2);
        QCOMPARE(halves.at(0).rows, QList<qint64>{1});
        QCOMPARE(halves.at(1).rows, (QList<qint64>{2, 3}));
        QCOMPARE(halves.at(1).lines, (QList<qint64>{3, 4}));
        // Split on raw bytes: numbers are not re-encoded (no precision loss).
        QCOMPARE(halves.at(0).body, QByteArray("{\"batch\":[{\"a\":12345678901234567890,\"s\":\"x,]}\"}]}"));
        QCOMPARE(halves.at(1).body, QByteArray("{\"batch\":[{\"b\":1.50},{\"c\":[1,{\"d\":2}]}]}"));
        QVERIFY(b.split(halves.at(0)).isEmpty()); // one item cannot be split
    }

    void subsetKeepsOnlyNamedRows()
    {
        Batcher b(Batcher::Dialect::CustomerIo, BatchLimits{}, QStringLiteral("/api/v2/batch"));
        const ApiCall call = batchOf(b, 4, 10);
        const ApiCall sub = b.subset(call, {11, 13});
        QCOMPARE(sub.rows, (QList<qint64>{11, 13}));
        QCOMPARE(sub.lines, (QList<qint64>{12, 14}));
        QCOMPARE(sub.body, QByteArray("{\"batch\":[{\"i\":1},{\"i\":3}]}"));
    }

    void mapResponse_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<int>("items");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<BatchResult::Action>("action");
        QTest::addColumn<QString>("kinds");
        QTest::addColumn<QString>("reason1"); // reason of the 2nd row

        const int cio = int(Batcher::Dialect::CustomerIo);
        const int seg = int(Batcher::Dialect::Segment);
        QTest::newRow("200 all done") << cio << 3 << 200 << QByteArray() << BatchResult::Action::Settled << QStringLiteral("DDD") << QString();
        QTest::newRow("cio 207 names item 1; others applied")
            << cio << 3 << 207 << QByteArray("{\"errors\":[{\"batch_index\":1,\"reason\":\"invalid\",\"field\":\"attributes\",\"message\":\"too many\"}]}")
            << BatchResult::Action::Settled << QStringLiteral("DFD") << QStringLiteral("HTTP 207: invalid (field attributes): too many");
        QTest::newRow("cio 400 names items 0 and 2; item 1 goes again")
            << cio << 3 << 400 << QByteArray("{\"errors\":[{\"batch_index\":0,\"reason\":\"invalid\"},{\"batch_index\":2,\"reason\":\"invalid\"}]}")
            << BatchResult::Action::Settled << QStringLiteral("FRF") << QString();
        QTest::newRow("cio index out of range is ignored -> split")
            << cio << 3 << 400 << QByteArray("{\"errors\":[{\"batch_index\":9,\"reason\":\"invalid\"}]}")
            << BatchResult::Action::Split << QStringLiteral("RRR") << QStringLiteral("HTTP 400: {\"errors\":[{\"batch_index\":9,\"reason\":\"invalid\"}]}");
        QTest::newRow("segment 400 whole batch -> split") << seg << 4 << 400 << QByteArray("{\"error\":\"bad\"}")
                                                          << BatchResult::Action::Split << QStringLiteral("RRRR") << QStringLiteral("HTTP 400: {\"error\":\"bad\"}");
        QTest::newRow("segment 400 on one item -> that row failed") << seg << 1 << 400 << QByteArray("bad event")
                                                                    << BatchResult::Action::Settled << QStringLiteral("F") << QString();
        QTest::newRow("413 -> split") << seg << 2 << 413 << QByteArray() << BatchResult::Action::Split << QStringLiteral("RR") << QStringLiteral("HTTP 413");
        QTest::newRow("413 on one item -> failed") << cio << 1 << 413 << QByteArray() << BatchResult::Action::Settled << QStringLiteral("F") << QString();
        QTest::newRow("429 -> retry all") << cio << 2 << 429 << QByteArray() << BatchResult::Action::RetryAll << QStringLiteral("RR") << QStringLiteral("HTTP 429");
        QTest::newRow("503 -> retry all") << seg << 2 << 503 << QByteArray() << BatchResult::Action::RetryAll << QStringLiteral("RR") << QStringLiteral("HTTP 503");
        QTest::newRow("no answer -> retry all") << seg << 2 << 0 << QByteArray() << BatchResult::Action::RetryAll << QStringLiteral("RR") << QStringLiteral("no response");
        QTest::newRow("401 -> all failed") << cio << 2 << 401 << QByteArray("unauthorized") << BatchResult::Action::Settled << QStringLiteral("FF") << QStringLiteral("HTTP 401: unauthorized");
    }

    void mapResponse()
    {
        QFETCH(int, dialect);
        QFETCH(int, items);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(BatchResult::Action, action);
        QFETCH(QString, kinds);
        QFETCH(QString, reason1);
        Batcher b(Batcher::Dialect(dialect), BatchLimits{}, QStringLiteral("/b"));
        const ApiCall call = batchOf(b, items, 100);
        const BatchResult r = b.mapResponse(call, status, body);
        QCOMPARE(r.action, action);
        QCOMPARE(::kinds(r), kinds);
        for (int i = 0; i < items; ++i) {
            QCOMPARE(r.rows.at(i).row, 100 + i);
            QCOMPARE(r.rows.at(i).line, 101 + i);
        }
        if (!reason1.isNull())
            QCOMPARE(r.rows.value(1).reason, reason1);
    }

    void bisectingIsolatesTheBadRow()
    {
        // Segment rejects a whole batch for one bad event: splitting on every
        // 400 must end with exactly that row failed and all others sent.
        Batcher b(Batcher::Dialect::Segment, BatchLimits{}, QStringLiteral("/v1/batch"));
        const ApiCall first = batchOf(b, 13, 1);
        const qint64 bad = 9;
        QList<ApiCall> queue{first};
        QList<qint64> done, failed;
        int requests = 0;
        while (!queue.isEmpty()) {
            const ApiCall call = queue.takeFirst();
            ++requests;
            const int status = call.rows.contains(bad) ? 400 : 200;
            const BatchResult r = b.mapResponse(call, status, "invalid");
            if (r.action == BatchResult::Action::Split) {
                queue += b.split(call);
                continue;
            }
            for (const RowOutcome &o : r.rows)
                (o.kind == RowOutcome::Kind::Done ? done : failed).append(o.row);
        }
        QCOMPARE(failed, QList<qint64>{bad});
        QCOMPARE(done.size(), 12);
        QVERIFY(requests <= 2 * 4 + 1); // log2(13) levels, two calls each
    }
};

QTEST_GUILESS_MAIN(TestBatcher)
#include "tst_batcher.moc"
