// Which lane (scope key) a request goes to, and which wider scopes it also
// spends from, for each profile's documented scopes; and the bound on keys.
#include "core/scopes/ProfileScopes.h"
#include "core/scopes/ScopeRouter.h"

#include <QTest>

using headroom::scopes::ProfileScopes;
using headroom::scopes::ScopeMatch;
using headroom::scopes::ScopeRoute;
using headroom::scopes::ScopeRouter;

namespace {

QString keysOf(const QList<ScopeMatch> &matches)
{
    QStringList keys;
    for (const ScopeMatch &m : matches)
        keys << m.key;
    return keys.join(QLatin1Char(','));
}

} // namespace

class TestScopeRouter : public QObject
{
    Q_OBJECT

private slots:
    void routes_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("lane");
        QTest::addColumn<QString>("parents");

        QTest::newRow("app transactional") << "customerio-app"
                                           << "POST"
                                           << "/v1/send/email"
                                           << "transactional"
                                           << "";
        QTest::newRow("app broadcast 42") << "customerio-app"
                                          << "POST"
                                          << "/v1/campaigns/42/triggers"
                                          << "broadcasts:campaign=42"
                                          << "";
        QTest::newRow("app broadcast 7") << "customerio-app"
                                         << "post"
                                         << "/v1/campaigns/7/triggers"
                                         << "broadcasts:campaign=7"
                                         << "";
        QTest::newRow("app other endpoint: main") << "customerio-app"
                                                  << "GET"
                                                  << "/v1/customers/1/attributes"
                                                  << "main"
                                                  << "";
        QTest::newRow("app GET on a trigger path: main") << "customerio-app"
                                                         << "GET"
                                                         << "/v1/campaigns/42/triggers"
                                                         << "main"
                                                         << "";
        QTest::newRow("segment labels under the token") << "segment-public"
                                                        << "GET"
                                                        << "/labels"
                                                        << "labels"
                                                        << "main";
        QTest::newRow("segment warehouse syncs") << "segment-public"
                                                 << "GET"
                                                 << "/warehouses/w1/syncs"
                                                 << "warehouse-syncs"
                                                 << "main";
        QTest::newRow("segment unlisted endpoint") << "segment-public"
                                                   << "GET"
                                                   << "/sources"
                                                   << "main"
                                                   << "";
        QTest::newRow("track: one workspace") << "customerio-track"
                                              << "PUT"
                                              << "/api/v1/customers/1"
                                              << "main"
                                              << "";
        QTest::newRow("generic") << "generic"
                                 << "POST"
                                 << "/anything"
                                 << "main"
                                 << "";
    }

    void routes()
    {
        QFETCH(QString, profile);
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(QString, lane);
        QFETCH(QString, parents);
        ScopeRouter router(ProfileScopes::forProfile(profile));
        const ScopeRoute route = router.route(method, path);
        QCOMPARE(route.lane.key, lane);
        QCOMPARE(keysOf(route.parents), parents);
    }

    void routeCarriesTheScopesWindows()
    {
        ScopeRouter router(ProfileScopes::forProfile(QStringLiteral("customerio-app")));
        const ScopeRoute route = router.route(QStringLiteral("POST"), QStringLiteral("/v1/campaigns/1/triggers"));
        QCOMPARE(route.lane.scope, QStringLiteral("broadcasts"));
        QCOMPARE(route.lane.windows.size(), 1);
        QCOMPARE(route.lane.windows.first().limit, 1);
        QCOMPARE(route.lane.windows.first().per, std::chrono::seconds(10));
    }

    void keysPastTheBoundShareTheOverflowKey()
    {
        ScopeRouter router(ProfileScopes::forProfile(QStringLiteral("customerio-app")), 3);
        const auto keyOf = [&router](int campaign) {
            return router.route(QStringLiteral("POST"), QStringLiteral("/v1/campaigns/%1/triggers").arg(campaign)).lane.key;
        };
        QCOMPARE(keyOf(1), QStringLiteral("broadcasts:campaign=1"));
        QCOMPARE(keyOf(2), QStringLiteral("broadcasts:campaign=2"));
        QCOMPARE(keyOf(3), QStringLiteral("broadcasts:campaign=3"));
        QCOMPARE(keyOf(4), QStringLiteral("broadcasts:overflow"));
        QCOMPARE(keyOf(5), QStringLiteral("broadcasts:overflow"));
        // Keys seen before the bound keep their own lane.
        QCOMPARE(keyOf(2), QStringLiteral("broadcasts:campaign=2"));
        // An unkeyed scope is one key whatever the bound.
        QCOMPARE(router.route(QStringLiteral("POST"), QStringLiteral("/v1/send/email")).lane.key,
                 QStringLiteral("transactional"));
        QCOMPARE(router.route(QStringLiteral("GET"), QStringLiteral("/v1/other")).lane.key, QStringLiteral("main"));
        QCOMPARE(router.keyCount(), 6);
    }
};

QTEST_APPLESS_MAIN(TestScopeRouter)
#include "tst_scoperouter.moc"
