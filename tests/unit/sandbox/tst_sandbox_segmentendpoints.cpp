// The Segment Public API endpoints the sandbox limits per minute on top of
// the token's budget, as the documentation lists them.
#include "core/sandbox/SegmentEndpointLimits.h"

#include <QTest>

using headroom::sandbox::SegmentEndpointLimits;

class TestSandboxSegmentEndpoints : public QObject
{
    Q_OBJECT

private slots:
    void endpoints_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QString>("name"); // empty: the token's budget only
        QTest::addColumn<int>("perMinute");
        QTest::newRow("warehouse syncs") << QByteArray("POST") << QByteArray("/warehouses/w1/syncs") << "warehouse-syncs" << 2;
        QTest::newRow("subscriptions") << QByteArray("GET") << QByteArray("/destinations/d/subscriptions") << "destination-subscriptions" << 5;
        QTest::newRow("audience preview") << QByteArray("POST") << QByteArray("/spaces/s/audiences/previews") << "audience-previews" << 5;
        QTest::newRow("computed traits, create") << QByteArray("POST") << QByteArray("/spaces/s/computed-traits") << "computed-traits" << 10;
        QTest::newRow("computed traits, list") << QByteArray("GET") << QByteArray("/spaces/s/computed-traits") << "" << 0;
        QTest::newRow("reverse etl sync") << QByteArray("POST") << QByteArray("/reverse-etl-models/sync") << "reverse-etl-syncs" << 20;
        QTest::newRow("labels, query and slash") << QByteArray("GET") << QByteArray("/labels/?pagination.count=10") << "labels" << 60;
        QTest::newRow("event volume") << QByteArray("GET") << QByteArray("/events/volume") << "event-volume" << 60;
        QTest::newRow("regulations") << QByteArray("POST") << QByteArray("/regulations") << "regulations" << 600;
        QTest::newRow("sources") << QByteArray("GET") << QByteArray("/sources") << "" << 0;
        QTest::newRow("empty warehouse id") << QByteArray("POST") << QByteArray("/warehouses//syncs") << "" << 0;
    }

    void endpoints()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QString, name);
        QFETCH(int, perMinute);
        const auto endpoint = SegmentEndpointLimits::find(method, path);
        QCOMPARE(endpoint ? endpoint->name : QString(), name);
        QCOMPARE(endpoint ? endpoint->perMinute : 0, perMinute);
    }
};

QTEST_APPLESS_MAIN(TestSandboxSegmentEndpoints)
#include "tst_sandbox_segmentendpoints.moc"
