// RunPlan gives the main lane its profile's rate scopes: the documented ones,
// a limits file's, and --rate/--window on the main scope.
#include "core/run/RunPlan.h"
#include "core/run/RunSettings.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

run::RunSettings settings(const QString &profile)
{
    run::RunSettings s;
    s.profile = profile;
    s.file = QStringLiteral("rows.jsonl");
    s.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/") + profile);
    return s;
}

QStringList scopeNames(const run::LaneConfig &lane)
{
    QStringList names;
    if (lane.scopes) {
        for (const scopes::ScopeSpec &s : lane.scopes->scopes())
            names << s.name();
    }
    return names;
}

} // namespace

class TestScopePlan : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QByteArray &json)
    {
        const QString path = m_dir.filePath(QStringLiteral("limits.json"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(json) != json.size())
            return {};
        return path;
    }

private slots:
    void documentedScopes_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<int>("mainLimit");
        QTest::addColumn<qint64>("mainWindowMs");
        QTest::addColumn<QStringList>("scopes");
        QTest::newRow("customerio-app") << "customerio-app" << 10 << 1000ll
                                        << QStringList{"main", "transactional", "broadcasts"};
        QTest::newRow("segment-public") << "segment-public" << 30 << 10000ll
                                        << QStringList{"main", "warehouse-syncs", "destination-subscriptions",
                                                       "audience-previews", "computed-traits", "reverse-etl-syncs",
                                                       "labels", "users", "groups", "event-volume", "regulations"};
        // One workspace budget: no scopes to route between.
        QTest::newRow("customerio-track") << "customerio-track" << 100 << 1000ll << QStringList{};
    }

    void documentedScopes()
    {
        QFETCH(QString, profile);
        QFETCH(int, mainLimit);
        QFETCH(qint64, mainWindowMs);
        QFETCH(QStringList, scopes);
        QString error;
        const auto plan = run::RunPlan::build(settings(profile), QProcessEnvironment(), std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
        const run::LaneConfig &lane = plan->lanes.first();
        QCOMPARE(lane.limit.value_or(0), mainLimit);
        QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(lane.window).count(), mainWindowMs);
        QCOMPARE(scopeNames(lane), scopes);
        if (lane.scopes)
            QCOMPARE(lane.scopes->main().windows().first().limit, mainLimit);
    }

    void rateSetsTheMainScope()
    {
        run::RunSettings s = settings(QStringLiteral("customerio-app"));
        s.rate = 4;
        s.window = 2s;
        QString error;
        const auto plan = run::RunPlan::build(s, QProcessEnvironment(), std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
        const scopes::ScopeSet &set = *plan->lanes.first().scopes;
        QCOMPARE(set.main().windows(), (QList<scopes::ScopeWindow>{{4, 2s}}));
        QCOMPARE(set.find(QStringLiteral("broadcasts"))->windows(), (QList<scopes::ScopeWindow>{{1, 10s}}));
    }

    void limitsFileGivesGenericScopes()
    {
        QVERIFY(m_dir.isValid());
        run::RunSettings s = settings(QStringLiteral("generic"));
        s.limitsFile = write(R"({"scopes":[
            {"name":"main","windows":[{"limit":50,"per":"1s"},{"limit":10000,"per":"1d"}]},
            {"name":"exports","match":"POST /exports/{kind}","key":"kind","windows":[{"limit":2,"per":"1m"}]}]})");
        QString error;
        const auto plan = run::RunPlan::build(s, QProcessEnvironment(), std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
        const run::LaneConfig &lane = plan->lanes.first();
        QCOMPARE(scopeNames(lane), (QStringList{"main", "exports"}));
        // The file's main windows pace the main lane, all of them at once.
        QCOMPARE(lane.limit.value_or(0), 50);
        QCOMPARE(lane.window, Duration(1s));
        QCOMPARE(lane.extraWindows, (QList<scopes::ScopeWindow>{{10000, 24h}}));
    }

    void aBadLimitsFileRefusesThePlan()
    {
        QVERIFY(m_dir.isValid());
        run::RunSettings s = settings(QStringLiteral("customerio-app"));
        s.limitsFile = write(R"({"scopes":[{"name":"main","windows":[{"limit":0,"per":"1s"}]},{"name":"x"}]})");
        QString error;
        QVERIFY(!run::RunPlan::build(s, QProcessEnvironment(), std::nullopt, &error));
        QVERIFY2(error.contains(QLatin1String("scopes[0] \"main\": windows[0].limit")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("scopes[1] \"x\"")), qPrintable(error));
    }

    void consoleScopeLimitsOverrideAsAFileWould()
    {
        run::RunSettings s = settings(QStringLiteral("customerio-app"));
        s.scopeLimits = {{QStringLiteral("broadcasts"), {{1, 30s}}}, {QStringLiteral("transactional"), {{50, 1s}, {1000, 1min}}}};
        QString error;
        const auto plan = run::RunPlan::build(s, QProcessEnvironment(), std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
        const scopes::ScopeSet &set = *plan->lanes.first().scopes;
        QCOMPARE(set.find(QStringLiteral("broadcasts"))->windows(), (QList<scopes::ScopeWindow>{{1, 30s}}));
        QCOMPARE(set.find(QStringLiteral("transactional"))->windows(), (QList<scopes::ScopeWindow>{{50, 1s}, {1000, 1min}}));
        QCOMPARE(set.main().windows(), (QList<scopes::ScopeWindow>{{10, 1s}}));
        // They travel with the run (run.json), for a resume.
        QCOMPARE(run::RunSettings::fromJson(s.toJson(), &error).value_or(run::RunSettings()).scopeLimits, s.scopeLimits);
        // A run.json whose scope limits are not windows is refused, naming them all.
        QJsonObject json = s.toJson();
        json[QStringLiteral("scope_limits")] = QJsonObject{{QStringLiteral("broadcasts"), QStringLiteral("often")},
                                                           {QStringLiteral("transactional"), QStringLiteral("5 per")}};
        QVERIFY(!run::RunSettings::fromJson(json, &error));
        QVERIFY2(error.contains(QLatin1String("scope_limits.broadcasts: 'often'")) && error.contains(QLatin1String("scope_limits.transactional")),
                 qPrintable(error));
        // A scope the profile does not have, or main (the rate's), is refused by name.
        s.scopeLimits = {{QStringLiteral("nope"), {{1, 1s}}}, {QStringLiteral("main"), {{1, 1s}}}};
        QVERIFY(!run::RunPlan::build(s, QProcessEnvironment(), std::nullopt, &error));
        QVERIFY2(error.contains(QLatin1String("nope, main is not a scope of profile customerio-app")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestScopePlan)
#include "tst_scopeplan.moc"
