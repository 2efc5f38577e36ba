// ScopeLaneConfig: the lane a scope key gets, derived from the main lane and
// the scope's documented windows.
#include "core/run/ScopeLaneConfig.h"

#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

class TestScopeLaneConfig : public QObject
{
    Q_OBJECT
private slots:
    void derive_data()
    {
        // Windows: limit1 per perMs1 (limit1 0: undocumented), then an optional second.
        QTest::addColumn<int>("limit1");
        QTest::addColumn<int>("perMs1");
        QTest::addColumn<int>("limit2");
        QTest::addColumn<int>("perMs2");
        QTest::addColumn<bool>("underParent");
        QTest::addColumn<int>("mainConcurrency");
        QTest::addColumn<int>("limit"); // -1: none
        QTest::addColumn<int>("windowMs");
        QTest::addColumn<int>("extraWindows");
        QTest::addColumn<bool>("discover");
        QTest::addColumn<bool>("followHeaders");
        QTest::addColumn<int>("concurrency");

        QTest::newRow("undocumented: discovered, headers followed") << 0 << 0 << 0 << 0 << false << 100 << -1 << 5000 << 0 << true << true << 48;
        QTest::newRow("undocumented under a parent: headers still followed") << 0 << 0 << 0 << 0 << true << 100 << -1 << 5000 << 0 << true << true << 48;
        QTest::newRow("documented: paced at its window") << 10 << 1000 << 0 << 0 << false << 100 << 10 << 1000 << 0 << false << true << 8;
        QTest::newRow("documented under a parent: the parent follows the headers") << 10 << 1000 << 0 << 0 << true << 100 << 10 << 1000 << 0 << false << false << 8;
        QTest::newRow("two windows: the second held beside the first") << 100 << 1000 << 1000 << 60000 << false << 100 << 100 << 1000 << 1 << false << true << 62;
        QTest::newRow("main concurrency bounds the scope's") << 100 << 1000 << 0 << 0 << false << 20 << 100 << 1000 << 0 << false << true << 20;
    }

    void derive()
    {
        QFETCH(int, limit1);
        QFETCH(int, perMs1);
        QFETCH(int, limit2);
        QFETCH(int, perMs2);
        QFETCH(bool, underParent);
        QFETCH(int, mainConcurrency);
        QFETCH(int, limit);
        QFETCH(int, windowMs);
        QFETCH(int, extraWindows);
        QFETCH(bool, discover);
        QFETCH(bool, followHeaders);
        QFETCH(int, concurrency);

        run::LaneConfig main;
        main.name = QStringLiteral("hubspot");
        main.limit = 190;
        main.window = 5s;
        main.extraWindows = {{1000, 1min}};
        main.tokenBucket = true;
        main.followHeaders = true;
        main.discover = false;
        main.concurrency = mainConcurrency;
        main.scopes = scopes::ScopeSet();

        scopes::ScopeMatch match;
        match.scope = QStringLiteral("search");
        match.key = QStringLiteral("search:abc");
        if (limit1 > 0)
            match.windows << scopes::ScopeWindow{limit1, std::chrono::milliseconds(perMs1)};
        if (limit2 > 0)
            match.windows << scopes::ScopeWindow{limit2, std::chrono::milliseconds(perMs2)};

        const run::LaneConfig config = run::ScopeLaneConfig::derive(main, match, underParent);
        QCOMPARE(config.name, QStringLiteral("hubspot search:abc"));
        QVERIFY(!config.scopes);
        QCOMPARE(config.limit.value_or(-1), limit);
        QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(config.window).count(), windowMs);
        QCOMPARE(int(config.extraWindows.size()), extraWindows);
        QCOMPARE(config.discover, discover);
        QCOMPARE(config.followHeaders, followHeaders);
        QCOMPARE(config.concurrency, concurrency);
        if (limit > 0)
            QVERIFY(!config.tokenBucket);
    }
};

QTEST_GUILESS_MAIN(TestScopeLaneConfig)
#include "tst_scopelaneconfig.moc"
