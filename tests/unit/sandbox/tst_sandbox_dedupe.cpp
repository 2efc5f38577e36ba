// The sandbox drops a write whose dedupe key it has seen, as Customer.io (event
// `id`, per workspace) and Segment (`messageId`, across all of it) do, counts
// it as dropped rather than as a duplicate effect, and forgets the oldest keys
// past its bound.
#include "core/sandbox/SandboxStats.h"
#include "core/sandbox/SeenKeys.h"

#include <QtTest>

using namespace headroom::sandbox;

namespace {

SandboxStats::Acceptance accepted(const QString &identity, const QString &dedupeScope)
{
    SandboxStats::Acceptance a;
    a.api = QStringLiteral("customerio-track");
    a.identities = {identity};
    a.dedupeScope = dedupeScope;
    return a;
}

} // namespace

class TestSandboxDedupe : public QObject
{
    Q_OBJECT

private slots:
    void secondArrivalOfAKeyIsDropped_data()
    {
        QTest::addColumn<QString>("identity");
        QTest::addColumn<QString>("firstScope");
        QTest::addColumn<QString>("secondScope");
        QTest::addColumn<int>("dropped");
        QTest::addColumn<int>("duplicates");
        QTest::newRow("event id, same workspace") << "id:01HK"
                                                  << "cio/site-a"
                                                  << "cio/site-a" << 1 << 0;
        QTest::newRow("messageId") << "messageId:m-1"
                                   << "segment"
                                   << "segment" << 1 << 0;
        QTest::newRow("event id, other workspace") << "id:01HK"
                                                   << "cio/site-a"
                                                   << "cio/site-b" << 0 << 1;
        QTest::newRow("an API that does not dedupe") << "id:01HK"
                                                     << ""
                                                     << "" << 0 << 1;
        // A person is not a key: an identify twice is applied twice (and harmless).
        QTest::newRow("person") << "customer:42"
                                << "cio/site-a"
                                << "cio/site-a" << 0 << 1;
    }
    void secondArrivalOfAKeyIsDropped()
    {
        QFETCH(QString, identity);
        QFETCH(QString, firstScope);
        QFETCH(QString, secondScope);
        QFETCH(int, dropped);
        QFETCH(int, duplicates);
        SandboxStats stats;
        stats.recordAccepted(accepted(identity, firstScope), {});
        stats.recordAccepted(accepted(identity, secondScope), {});
        const QJsonObject s = stats.snapshot(true);
        QCOMPARE(s.value(QStringLiteral("duplicatesDropped")).toInt(), dropped);
        QCOMPARE(s.value(QStringLiteral("duplicates")).toInt(), duplicates);
        QCOMPARE(s.value(QStringLiteral("apis")).toObject().value(QStringLiteral("customerio-track")).toObject().value(QStringLiteral("duplicatesDropped")).toInt(), dropped);
        QCOMPARE(s.value(QStringLiteral("identities")).toObject().value(identity).toInt(), 2 - dropped);
    }

    void resetForgetsKeys()
    {
        SandboxStats stats;
        stats.recordAccepted(accepted(QStringLiteral("messageId:m"), QStringLiteral("segment")), {});
        stats.reset();
        stats.recordAccepted(accepted(QStringLiteral("messageId:m"), QStringLiteral("segment")), {});
        QCOMPARE(stats.snapshot(false).value(QStringLiteral("duplicatesDropped")).toInt(), 0);
    }

    void seenKeysAreBounded()
    {
        SeenKeys keys(3);
        QVERIFY(keys.remember(QStringLiteral("a")));
        QVERIFY(!keys.remember(QStringLiteral("a")));
        QVERIFY(keys.remember(QStringLiteral("b")));
        QVERIFY(keys.remember(QStringLiteral("c")));
        QVERIFY(keys.remember(QStringLiteral("d"))); // "a" is forgotten
        QCOMPARE(keys.size(), 3);
        QVERIFY(!keys.remember(QStringLiteral("d")));
        QVERIFY(keys.remember(QStringLiteral("a")));
    }
};

QTEST_GUILESS_MAIN(TestSandboxDedupe)
#include "tst_sandbox_dedupe.moc"
