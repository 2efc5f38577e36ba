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
        QVERIFY(!config.sharedBudget); // the main lane shares none
    }

    void sharedBudgetPerScopeKey_data()
    {
        QTest::addColumn<int>("limit"); // 0: undocumented
        QTest::addColumn<bool>("underParent");
        QTest::addColumn<bool>("shared");
        QTest::addColumn<bool>("publishHeaderLimit");
        QTest::newRow("documented: its own key at its own limit") << 1 << false << true << true;
        QTest::newRow("under a parent: the parent publishes header limits") << 1 << true << true << false;
        QTest::newRow("undocumented: nothing to share until learned") << 0 << false << false << false;
    }

    void sharedBudgetPerScopeKey()
    {
        QFETCH(int, limit);
        QFETCH(bool, underParent);
        QFETCH(bool, shared);
        QFETCH(bool, publishHeaderLimit);
        run::LaneConfig main;
        main.name = QStringLiteral("customerio-app");
        main.limit = 10;
        main.window = 1s;
        main.followHeaders = true;
        budget::SharedBudgetConfig budget;
        QString error;
        budget.url = *budget::RedisUrl::parse(QStringLiteral("redis://127.0.0.1:6379/0?key=ws1"), &error);
        budget.url.password = QStringLiteral("secret");
        budget.limit = 10;
        budget.period = 1s;
        main.sharedBudget = budget;
        scopes::ScopeMatch match;
        match.scope = QStringLiteral("broadcasts");
        match.key = QStringLiteral("broadcasts:campaign=42");
        if (limit > 0)
            match.windows << scopes::ScopeWindow{limit, 10s};

        const run::LaneConfig config = run::ScopeLaneConfig::derive(main, match, underParent);
        QCOMPARE(bool(config.sharedBudget), shared);
        if (!shared)
            return;
        QCOMPARE(config.sharedBudget->url.key, QStringLiteral("ws1:broadcasts:campaign=42"));
        QCOMPARE(config.sharedBudget->url.budgetKey(), QByteArray("headroom:budget:{ws1:broadcasts:campaign=42}"));
        QCOMPARE(config.sharedBudget->url.password, QStringLiteral("secret"));
        QCOMPARE(config.sharedBudget->limit, limit);
        QVERIFY(config.sharedBudget->period == 10s);
        QCOMPARE(config.sharedBudget->publishHeaderLimit, publishHeaderLimit);
        // The main lane's budget is untouched.
        QCOMPARE(main.sharedBudget->url.key, QStringLiteral("ws1"));
    }
};

QTEST_GUILESS_MAIN(TestScopeLaneConfig)
#include "tst_scopelaneconfig.moc"
