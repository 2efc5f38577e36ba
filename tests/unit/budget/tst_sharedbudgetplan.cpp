// A shared budget from the operator's choice to the lane: RunPlan turns
// RunSettings::sharedBudget into LaneConfig::sharedBudget (limit, window, the
// password from the environment), run.json never holds the password, and
// every secret reaches the redactors.
#include "core/run/RunPlan.h"
#include "core/run/RunSettings.h"

#include <QJsonDocument>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

class TestSharedBudgetPlan : public QObject
{
    Q_OBJECT

    static run::RunSettings settings(const QString &url)
    {
        run::RunSettings s;
        s.profile = QStringLiteral("customerio-track");
        s.file = QStringLiteral("rows.csv");
        s.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/customerio-track"));
        s.rate = 100;
        s.window = 1s;
        s.sharedBudget = url;
        return s;
    }

private slots:
    void planCarriesTheBudgetToTheLane()
    {
        QString error;
        const auto plan = run::RunPlan::build(settings(QStringLiteral("redis://10.0.0.5:6380/1?key=site-1&share=0.5")),
                                              QProcessEnvironment(), std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
        const auto &shared = plan->lanes.at(0).sharedBudget;
        QVERIFY(shared);
        QCOMPARE(shared->url.host, QStringLiteral("10.0.0.5"));
        QCOMPARE(shared->url.database, 1);
        QCOMPARE(shared->limit, 100);
        QVERIFY(shared->period == 1s);
        QCOMPARE(shared->fallbackShare, 0.5);
    }

    void passwordNeverInRunJsonAndComesFromTheEnvironmentOnResume()
    {
        const run::RunSettings s = settings(QStringLiteral("redis://:hunter2@127.0.0.1:6379/0?key=k"));
        const QByteArray json = QJsonDocument(s.toJson()).toJson();
        QVERIFY(!json.contains("hunter2"));
        QVERIFY(json.contains("redis://:***@127.0.0.1:6379/0?key=k"));

        QString error;
        auto plan = run::RunPlan::build(s, QProcessEnvironment(), std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->lanes.at(0).sharedBudget->url.password, QStringLiteral("hunter2"));
        QVERIFY(plan->secrets().contains("hunter2"));

        // A resume reads run.json back: the masked password is not a password.
        const auto back = run::RunSettings::fromJson(s.toJson(), &error);
        QVERIFY(back);
        QProcessEnvironment env;
        env.insert(QStringLiteral("HEADROOM_REDIS_PASSWORD"), QStringLiteral("from-env"));
        plan = run::RunPlan::build(*back, env, std::nullopt, &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->lanes.at(0).sharedBudget->url.password, QStringLiteral("from-env"));
        plan = run::RunPlan::build(*back, QProcessEnvironment(), std::nullopt, &error);
        QVERIFY(plan->lanes.at(0).sharedBudget->url.password.isEmpty());
    }

    void refusedWithoutAKnownLimitOrAKey()
    {
        QString error;
        run::RunSettings s = settings(QStringLiteral("redis://127.0.0.1?key=k"));
        s.profile = QStringLiteral("generic");
        s.rate.reset();
        QVERIFY(!run::RunPlan::build(s, QProcessEnvironment(), std::nullopt, &error));
        QVERIFY2(error.contains(QStringLiteral("--rate")), qPrintable(error));
        QVERIFY(!run::RunPlan::build(settings(QStringLiteral("redis://:pw@127.0.0.1")), QProcessEnvironment(),
                                     std::nullopt, &error));
        QVERIFY(error.contains(QStringLiteral("key=")));
        QVERIFY(!error.contains(QStringLiteral("pw")));
    }
};

QTEST_GUILESS_MAIN(TestSharedBudgetPlan)
#include "tst_sharedbudgetplan.moc"
