#include "core/state/CanonicalJson.h"
#include "core/state/PayloadFingerprint.h"

#include <QTest>

using headroom::imports::MappedRow;
using headroom::imports::Operation;
using headroom::state::CanonicalJson;
using headroom::state::PayloadFingerprint;

namespace {
MappedRow person(const QByteArray &id, const QByteArray &fields)
{
    MappedRow row;
    row.operation = Operation::Identify;
    row.id = id;
    row.fields = fields;
    return row;
}
} // namespace

class TestPayloadFingerprint : public QObject
{
    Q_OBJECT

private slots:
    void canonicalJson_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::newRow("sorted") << QByteArray("{\"b\":1,\"a\":2}") << QByteArray("{\"a\":2,\"b\":1}");
        QTest::newRow("spaces") << QByteArray("{ \"a\" : [1, 2 ,{\"d\":1,\"c\":2}] }")
                                << QByteArray("{\"a\":[1,2,{\"c\":2,\"d\":1}]}");
        QTest::newRow("big numbers kept") << QByteArray("{\"n\":12345678901234567}")
                                          << QByteArray("{\"n\":12345678901234567}");
        QTest::newRow("escaped quote in key") << QByteArray("{\"z\\\"\":1,\"a\":\"x,}\"}")
                                              << QByteArray("{\"a\":\"x,}\",\"z\\\"\":1}");
        QTest::newRow("empty") << QByteArray("{}") << QByteArray("{}");
        QTest::newRow("not json") << QByteArray("{\"a\":") << QByteArray("{\"a\":");
        QTest::newRow("trailing") << QByteArray("{\"a\":1} x") << QByteArray("{\"a\":1} x");
    }

    void canonicalJson()
    {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        QCOMPARE(CanonicalJson::of(in), out);
    }

    void deepNestingIsNotJson()
    {
        const QByteArray deep = QByteArray(10000, '[') + QByteArray(10000, ']');
        QCOMPARE(CanonicalJson::of(deep), deep);
    }

    void columnOrderDoesNotChangeTheFingerprint()
    {
        QCOMPARE(PayloadFingerprint::fingerprintOf(person("1", "{\"plan\":\"pro\",\"name\":\"Ada\"}")),
                 PayloadFingerprint::fingerprintOf(person("1", "{\"name\":\"Ada\",\"plan\":\"pro\"}")));
    }

    void contentChangesTheFingerprintNotAPersonsIdentity()
    {
        const MappedRow before = person("1", "{\"plan\":\"free\"}");
        const MappedRow after = person("1", "{\"plan\":\"pro\"}");
        QVERIFY(PayloadFingerprint::fingerprintOf(before) != PayloadFingerprint::fingerprintOf(after));
        QCOMPARE(PayloadFingerprint::identityOf(before), PayloadFingerprint::identityOf(after));
        QVERIFY(PayloadFingerprint::identityOf(before) != PayloadFingerprint::identityOf(person("2", "{}")));
        QCOMPARE(PayloadFingerprint::identityOf(before).size(), PayloadFingerprint::kSize);
        QCOMPARE(PayloadFingerprint::labelOf(before), QByteArray("1"));
    }

    void theKeyIsNotPartOfTheFingerprint()
    {
        MappedRow a = person("1", "{\"x\":1}");
        a.operation = Operation::Track;
        a.eventName = "purchase";
        MappedRow b = a;
        a.eventId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
        b.eventId = "01BX5ZZKBKACTAV9WEVGEMMVRZ";
        QCOMPARE(PayloadFingerprint::fingerprintOf(a), PayloadFingerprint::fingerprintOf(b));
    }

    void anEventsIdentityIsItsContent()
    {
        MappedRow a = person("1", "{\"amount\":1}");
        a.operation = Operation::Track;
        a.eventName = "purchase";
        MappedRow b = a;
        b.fields = "{\"amount\":2}";
        // Two purchases by one person are two events, not one that changed.
        QVERIFY(PayloadFingerprint::identityOf(a) != PayloadFingerprint::identityOf(b));
        QVERIFY(!PayloadFingerprint::isPersonWrite(a));
    }

    void operationsAreApart()
    {
        MappedRow identify = person("1", "{}");
        MappedRow remove = identify;
        remove.operation = Operation::Delete;
        QVERIFY(PayloadFingerprint::identityOf(identify) != PayloadFingerprint::identityOf(remove));
    }
};

QTEST_GUILESS_MAIN(TestPayloadFingerprint)
#include "tst_payloadfingerprint.moc"
