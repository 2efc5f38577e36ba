// IdempotencyKey: a Customer.io event id (ULID) or Segment messageId that is
// the same for the same write to the same destination, whatever the file is
// called or where the row sits in it, and different otherwise.
#include "core/imports/CallSource.h"
#include "core/imports/IdempotencyKey.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace headroom::imports;

namespace {

MappedRow trackRow(const QByteArray &id, const QByteArray &name, const QByteArray &fields)
{
    MappedRow r;
    r.operation = Operation::Track;
    r.id = id;
    r.eventName = name;
    r.fields = fields;
    return r;
}

const QByteArray kDestination = IdempotencyKey::destinationOf(
    QStringLiteral("customerio-track"), QUrl(QStringLiteral("https://track.customer.io")), QStringLiteral("site:abc"));

// Every key the calls of `csv` carry, by the row's person id.
QHash<QByteArray, QByteArray> keysByPerson(const QByteArray &csv, const QString &fileName, const QString &profile,
                                           const QByteArray &destination)
{
    CallSourceOptions o;
    o.profile = profile;
    o.filePath = fileName;
    o.bytes = csv;
    o.destination = destination;
    CallSource source(o);
    if (!source.open())
        return {};
    static const QRegularExpression person(QStringLiteral("customers/([^/]+)/events|\"userId\":\"([^\"]+)\""));
    static const QRegularExpression key(QStringLiteral("\"(?:id|messageId)\":\"([^\"]+)\""));
    QHash<QByteArray, QByteArray> out;
    while (const auto call = source.next()) {
        const QString text = call->path + QString::fromUtf8(call->body);
        const auto p = person.match(text);
        const auto k = key.match(QString::fromUtf8(call->body));
        if (p.hasMatch() && k.hasMatch())
            out.insert((p.captured(1) + p.captured(2)).toUtf8(), k.captured(1).toUtf8());
    }
    return out;
}

} // namespace

class TestIdempotencyKey : public QObject
{
    Q_OBJECT

private slots:
    void eventIdIsAUlid()
    {
        const IdempotencyKey keys(kDestination);
        const QByteArray id = keys.eventId(trackRow("42", "paid", "{\"plan\":\"pro\"}"));
        QCOMPARE(id.size(), IdempotencyKey::kUlidLength);
        QVERIFY2(IdempotencyKey::isUlid(id), id.constData());
        QVERIFY(!IdempotencyKey::isUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ")); // past 48 bits of time
        QVERIFY(!IdempotencyKey::isUlid("01HK153X00IIIIIIIIIIIIIIII")); // I is not Crockford
    }

    void timePartIsTheEventsTimestamp_data()
    {
        QTest::addColumn<QByteArray>("timestamp");
        QTest::addColumn<QByteArray>("timePart");
        QTest::newRow("unix seconds") << QByteArray("1704067200") << QByteArray("01HK153X00");
        QTest::newRow("ISO 8601 string") << QByteArray("\"2024-01-01T00:00:00Z\"") << QByteArray("01HK153X00");
    }
    void timePartIsTheEventsTimestamp()
    {
        QFETCH(QByteArray, timestamp);
        QFETCH(QByteArray, timePart);
        MappedRow r = trackRow("42", "paid", "{}");
        r.timestamp = timestamp;
        QCOMPARE(IdempotencyKey(kDestination).eventId(r).left(10), timePart);
    }

    void sameWriteSameKey()
    {
        const MappedRow r = trackRow("42", "paid", "{\"plan\":\"pro\"}");
        // A retry, a resume, a re-run: a new builder over the same destination.
        QCOMPARE(IdempotencyKey(kDestination).eventId(r), IdempotencyKey(kDestination).eventId(r));
        QCOMPARE(IdempotencyKey(kDestination).messageId(r), IdempotencyKey(kDestination).messageId(r));
    }

    void otherWriteOtherKey_data()
    {
        QTest::addColumn<QByteArray>("destination");
        QTest::addColumn<QByteArray>("person");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("fields");
        QTest::addColumn<QByteArray>("timestamp");
        QTest::newRow("other content") << kDestination << QByteArray("42") << QByteArray("paid")
                                       << QByteArray("{\"plan\":\"team\"}") << QByteArray();
        QTest::newRow("other person") << kDestination << QByteArray("43") << QByteArray("paid")
                                      << QByteArray("{\"plan\":\"pro\"}") << QByteArray();
        QTest::newRow("other event") << kDestination << QByteArray("42") << QByteArray("refunded")
                                     << QByteArray("{\"plan\":\"pro\"}") << QByteArray();
        QTest::newRow("other timestamp") << kDestination << QByteArray("42") << QByteArray("paid")
                                         << QByteArray("{\"plan\":\"pro\"}") << QByteArray("1704067200");
        QTest::newRow("other workspace")
            << IdempotencyKey::destinationOf(QStringLiteral("customerio-track"),
                                             QUrl(QStringLiteral("https://track.customer.io")), QStringLiteral("site:xyz"))
            << QByteArray("42") << QByteArray("paid") << QByteArray("{\"plan\":\"pro\"}") << QByteArray();
        QTest::newRow("other region")
            << IdempotencyKey::destinationOf(QStringLiteral("customerio-track"),
                                             QUrl(QStringLiteral("https://track-eu.customer.io")), QStringLiteral("site:abc"))
            << QByteArray("42") << QByteArray("paid") << QByteArray("{\"plan\":\"pro\"}") << QByteArray();
        // Length-prefixed parts: moving a byte from one field to the next changes the key.
        QTest::newRow("bytes moved between fields") << kDestination << QByteArray("42p") << QByteArray("aid")
                                                    << QByteArray("{\"plan\":\"pro\"}") << QByteArray();
    }
    void otherWriteOtherKey()
    {
        QFETCH(QByteArray, destination);
        QFETCH(QByteArray, person);
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, fields);
        QFETCH(QByteArray, timestamp);
        const QByteArray base = IdempotencyKey(kDestination).eventId(trackRow("42", "paid", "{\"plan\":\"pro\"}"));
        MappedRow other = trackRow(person, name, fields);
        other.timestamp = timestamp;
        QVERIFY(IdempotencyKey(destination).eventId(other) != base);
    }

    void destinationHasNoPortAndNoSecret()
    {
        const QByteArray a = IdempotencyKey::destinationOf(QStringLiteral("segment-tracking"),
                                                           QUrl(QStringLiteral("http://127.0.0.1:4100")), QStringLiteral("key:1f2e"));
        const QByteArray b = IdempotencyKey::destinationOf(QStringLiteral("segment-tracking"),
                                                           QUrl(QStringLiteral("http://127.0.0.1:4711")), QStringLiteral("key:1f2e"));
        QCOMPARE(a, b); // a sandbox restarted on another port is the same destination
        QCOMPARE(a, QByteArray("segment-tracking\n127.0.0.1\nkey:1f2e"));
    }

    void mappedKeyWins_data()
    {
        QTest::addColumn<bool>("segment");
        QTest::newRow("customer.io event id") << false;
        QTest::newRow("segment messageId") << true;
    }
    void mappedKeyWins()
    {
        QFETCH(bool, segment);
        MappedRow r = trackRow("42", "paid", "{}");
        r.eventId = "order-7";
        const IdempotencyKey keys(kDestination);
        QCOMPARE(segment ? keys.messageId(r) : keys.eventId(r), QByteArray("order-7"));
    }

    void messageIdIsShortAndPrefixed_data()
    {
        QTest::addColumn<QByteArray>("prefix");
        QTest::addColumn<QByteArray>("expectedPrefix");
        QTest::newRow("default") << QByteArray() << QByteArray("headroom-");
        QTest::newRow("operator's prefix") << QByteArray("import-42") << QByteArray("import-42-");
        QTest::newRow("long prefix cut") << QByteArray(200, 'p') << QByteArray(72, 'p') + '-';
    }
    void messageIdIsShortAndPrefixed()
    {
        QFETCH(QByteArray, prefix);
        QFETCH(QByteArray, expectedPrefix);
        const QByteArray id = IdempotencyKey(kDestination, prefix).messageId(trackRow("u1", "paid", "{}"));
        QVERIFY2(id.size() < 100, id.constData());
        QVERIFY2(id.startsWith(expectedPrefix), id.constData());
        QVERIFY(IdempotencyKey::isUlid(id.mid(expectedPrefix.size())));
    }

    // Through the whole source: the file's name and the order of its rows do
    // not change a row's key; another destination does.
    void independentOfFileNameAndRowOrder_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QByteArray>("reordered");
        QTest::newRow("customer.io events")
            << QStringLiteral("customerio-track") << QByteArray("id,event,amount\na,paid,1\nb,paid,2\nc,paid,3\n")
            << QByteArray("id,event,amount\nc,paid,3\na,paid,1\nb,paid,2\n");
        QTest::newRow("segment track")
            << QStringLiteral("segment-tracking") << QByteArray("id,event,amount\na,paid,1\nb,paid,2\nc,paid,3\n")
            << QByteArray("id,event,amount\nb,paid,2\nc,paid,3\na,paid,1\n");
    }
    void independentOfFileNameAndRowOrder()
    {
        QFETCH(QString, profile);
        QFETCH(QByteArray, csv);
        QFETCH(QByteArray, reordered);
        const auto first = keysByPerson(csv, QStringLiteral("export.csv"), profile, kDestination);
        const auto again = keysByPerson(reordered, QStringLiteral("nightly/2024-01-02.csv"), profile, kDestination);
        QCOMPARE(first.size(), 3);
        QCOMPARE(again, first);
        const auto keys = QSet<QByteArray>(first.cbegin(), first.cend());
        QCOMPARE(keys.size(), 3); // one key per row
        const auto elsewhere = keysByPerson(csv, QStringLiteral("export.csv"), profile, kDestination + "-other");
        for (auto it = first.cbegin(); it != first.cend(); ++it)
            QVERIFY(elsewhere.value(it.key()) != it.value());
    }

    void batchItemsCarryTheSameKeyAsSingleCalls()
    {
        const QByteArray csv("id,event,amount\na,paid,1\n");
        CallSourceOptions o;
        o.profile = QStringLiteral("customerio-track");
        o.filePath = QStringLiteral("f.csv");
        o.bytes = csv;
        o.destination = kDestination;
        o.batching = true;
        CallSource batched(o);
        QVERIFY(batched.open());
        const auto batch = batched.next();
        QVERIFY(batch);
        const QByteArray single = keysByPerson(csv, QStringLiteral("f.csv"), o.profile, kDestination).value("a");
        QVERIFY(!single.isEmpty());
        QVERIFY2(batch->body.contains("\"id\":\"" + single + "\""), batch->body.constData());
    }
};

QTEST_GUILESS_MAIN(TestIdempotencyKey)
#include "tst_idempotencykey.moc"
