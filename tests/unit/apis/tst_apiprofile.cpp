#include "core/apis/ApiProfile.h"

#include <QTest>

using headroom::apis::ApiProfile;
using headroom::apis::AuthScheme;
using namespace std::chrono_literals;

class TestApiProfile : public QObject
{
    Q_OBJECT
private slots:
    void contractNames()
    {
        // DESIGN.md's CLI contract names these profiles, and the Customer.io
        // Pipelines API's beside them.
        QCOMPARE(ApiProfile::names(),
                 QStringList({"customerio-track", "customerio-app", "segment-public", "segment-tracking",
                              "customerio-pipelines", "generic"}));
        QVERIFY(!ApiProfile::find(QStringLiteral("nope")));
    }

    void profiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("auth");
        QTest::addColumn<QStringList>("vars");
        QTest::addColumn<int>("limit");
        QTest::addColumn<bool>("batch");
        QTest::newRow("track us") << "customerio-track"
                                  << ""
                                  << "https://track.customer.io" << int(AuthScheme::BasicSiteKey)
                                  << QStringList{"HEADROOM_SITE_ID", "HEADROOM_API_KEY"} << 100 << true;
        QTest::newRow("track eu") << "customerio-track"
                                  << "eu"
                                  << "https://track-eu.customer.io" << int(AuthScheme::BasicSiteKey)
                                  << QStringList{"HEADROOM_SITE_ID", "HEADROOM_API_KEY"} << 100 << true;
        QTest::newRow("app") << "customerio-app"
                             << "us"
                             << "https://api.customer.io" << int(AuthScheme::Bearer)
                             << QStringList{"HEADROOM_TOKEN"} << 10 << false;
        QTest::newRow("segment public") << "segment-public"
                                        << ""
                                        << "https://api.segmentapis.com" << int(AuthScheme::Bearer)
                                        << QStringList{"HEADROOM_TOKEN"} << 30 << false;
        QTest::newRow("segment tracking") << "segment-tracking"
                                          << ""
                                          << "https://api.segment.io" << int(AuthScheme::BasicWriteKey)
                                          << QStringList{"HEADROOM_WRITE_KEY"} << 0 << true;
        QTest::newRow("pipelines us") << "customerio-pipelines"
                                      << ""
                                      << "https://cdp.customer.io" << int(AuthScheme::BasicWriteKey)
                                      << QStringList{"HEADROOM_WRITE_KEY"} << 3000 << true;
        QTest::newRow("pipelines eu") << "customerio-pipelines"
                                      << "eu"
                                      << "https://cdp-eu.customer.io" << int(AuthScheme::BasicWriteKey)
                                      << QStringList{"HEADROOM_WRITE_KEY"} << 3000 << true;
        QTest::newRow("generic") << "generic"
                                 << ""
                                 << "" << int(AuthScheme::Bearer) << QStringList{"HEADROOM_TOKEN"} << 0 << false;
    }

    void profiles()
    {
        QFETCH(QString, name);
        QFETCH(QString, region);
        QFETCH(QString, url);
        QFETCH(int, auth);
        QFETCH(QStringList, vars);
        QFETCH(int, limit);
        QFETCH(bool, batch);
        const ApiProfile *p = ApiProfile::find(name);
        QVERIFY(p);
        QCOMPARE(p->baseUrl(region).toString(), url);
        QCOMPARE(int(p->auth), auth);
        QCOMPARE(p->credentialVariables(), vars);
        QCOMPARE(p->rate ? p->rate->limit : 0, limit);
        QCOMPARE(p->hasBatchEndpoint, batch);
    }

    void sandboxUrlUsesProfilePrefixOnLoopback()
    {
        const ApiProfile *p = ApiProfile::find(QStringLiteral("segment-public"));
        QCOMPARE(p->sandboxUrl(8123).toString(), QStringLiteral("http://127.0.0.1:8123/segment-public"));
    }

    void segmentPublicWindowIsTenSecondsFixed()
    {
        const ApiProfile *p = ApiProfile::find(QStringLiteral("segment-public"));
        QVERIFY(p->rate);
        QCOMPARE(p->rate->window, headroom::Duration(10s));
        QCOMPARE(p->rate->kind, headroom::apis::WindowKind::Fixed);
        QVERIFY(p->sendsRateHeaders);
    }
};

QTEST_GUILESS_MAIN(TestApiProfile)
#include "tst_apiprofile.moc"
