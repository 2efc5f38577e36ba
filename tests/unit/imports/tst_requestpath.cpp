// RequestPath: which paths hold a dot segment, and which calls are a profile's.
#include "core/imports/RequestPath.h"

#include <QTest>

using namespace headroom::imports;

class TestRequestPath : public QObject
{
    Q_OBJECT
private slots:
    void findsDotSegments_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("dot");
        QTest::newRow("plain") << QByteArray("/a/b") << false;
        QTest::newRow("dots in names") << QByteArray("/a.b/..c/c..") << false;
        QTest::newRow("three dots") << QByteArray("/...") << false;
        QTest::newRow("query") << QByteArray("/a?x=/../") << false;
        QTest::newRow("dot") << QByteArray("/./a") << true;
        QTest::newRow("dot dot") << QByteArray("/a/../b") << true;
        QTest::newRow("last") << QByteArray("/a/..") << true;
        QTest::newRow("encoded") << QByteArray("/%2e%2E") << true;
        QTest::newRow("mixed") << QByteArray("/%2e.") << true;
        QTest::newRow("backslash") << QByteArray("/a\\..\\b") << true;
        QTest::newRow("before query") << QByteArray("/..?x") << true;
    }

    void findsDotSegments()
    {
        QFETCH(QByteArray, path);
        QFETCH(bool, dot);
        QCOMPARE(RequestPath::hasDotSegment(path), dot);
    }

    void knowsAProfilesCalls_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("operation");
        QTest::newRow("track identify") << "customerio-track" << QByteArray("PUT") << "/api/v1/customers/u1" << true;
        QTest::newRow("track event") << "customerio-track" << QByteArray("POST") << "/api/v1/customers/u1/events" << true;
        QTest::newRow("track delete") << "customerio-track" << QByteArray("DELETE") << "/api/v1/customers/u%201" << true;
        QTest::newRow("track batch") << "customerio-track" << QByteArray("POST") << "/api/v2/batch" << true;
        QTest::newRow("track, wrong method") << "customerio-track" << QByteArray("GET") << "/api/v1/customers/u1" << false;
        QTest::newRow("track, no id") << "customerio-track" << QByteArray("DELETE") << "/api/v1/customers/" << false;
        QTest::newRow("track, dot dot id") << "customerio-track" << QByteArray("DELETE") << "/api/v1/customers/.." << false;
        QTest::newRow("app admin") << "customerio-app" << QByteArray("DELETE") << "/admin/everything" << false;
        QTest::newRow("app email") << "customerio-app" << QByteArray("POST") << "/v1/send/email" << true;
        QTest::newRow("app trigger") << "customerio-app" << QByteArray("POST") << "/v1/campaigns/7/triggers" << true;
        QTest::newRow("app, the rest of the App API") << "customerio-app" << QByteArray("GET") << "/v1/customers/u1/attributes" << true;
        QTest::newRow("app, rest, an export") << "customerio-app" << QByteArray("POST") << "/v1/exports/customers" << true;
        QTest::newRow("app, rest, no id") << "customerio-app" << QByteArray("GET") << "/v1/segments/" << false;
        QTest::newRow("app, no version") << "customerio-app" << QByteArray("GET") << "/customers/u1" << false;
        QTest::newRow("app, not its endpoint") << "customerio-app" << QByteArray("DELETE") << "/v1/customers/u1" << false;
        QTest::newRow("app, unknown method") << "customerio-app" << QByteArray("TRACE") << "/v1/segments" << false;
        QTest::newRow("pipelines group") << "customerio-pipelines" << QByteArray("POST") << "/v1/group" << true;
        QTest::newRow("pipelines batch") << "customerio-pipelines" << QByteArray("POST") << "/v1/batch" << true;
        QTest::newRow("pipelines, not its call") << "customerio-pipelines" << QByteArray("POST") << "/v1/import" << false;
        QTest::newRow("segment track") << "segment-tracking" << QByteArray("POST") << "/v1/track" << true;
        QTest::newRow("segment delete") << "segment-tracking" << QByteArray("DELETE") << "/v1/track" << false;
        QTest::newRow("generic any") << "generic" << QByteArray("DELETE") << "/anything/at/all" << true;
        QTest::newRow("generic dots") << "generic" << QByteArray("GET") << "/a/../b" << false;
    }

    void knowsAProfilesCalls()
    {
        QFETCH(QString, profile);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(bool, operation);
        QCOMPARE(RequestPath::isOperation(*ImportProfile::fromName(profile), method, path), operation);
    }
};

QTEST_GUILESS_MAIN(TestRequestPath)
#include "tst_requestpath.moc"
