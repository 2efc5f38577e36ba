// What a run keeps for its resume (run.json's settings) and what its end says
// (summary.json): the give-up bound and a run that gave up.
#include "core/run/RunSettings.h"
#include "core/run/RunSummary.h"

#include <QJsonObject>
#include <QTest>

using namespace headroom;
using namespace std::chrono_literals;

class TestRunSettings : public QObject
{
    Q_OBJECT

    static run::RunSettings minimal()
    {
        run::RunSettings s;
        s.profile = QStringLiteral("customerio-track");
        s.file = QStringLiteral("/data/customers.csv");
        return s;
    }

private slots:
    void giveUpBoundTravelsThroughRunJson()
    {
        run::RunSettings s = minimal();
        s.giveUpAfter = 90s;
        const QJsonObject json = s.toJson();
        QCOMPARE(json.value(QStringLiteral("give_up_after")).toString(), QStringLiteral("90s"));
        QString error;
        const auto back = run::RunSettings::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->giveUpAfter, Duration(90s));
    }

    // A resume resends ambiguous attempts only if the run it continues did.
    void resendAmbiguousTravelsThroughRunJson_data()
    {
        QTest::addColumn<bool>("resend");
        QTest::newRow("given") << true;
        QTest::newRow("not given") << false;
    }
    void resendAmbiguousTravelsThroughRunJson()
    {
        QFETCH(bool, resend);
        run::RunSettings s = minimal();
        s.resendAmbiguous = resend;
        QString error;
        const auto back = run::RunSettings::fromJson(s.toJson(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->resendAmbiguous, resend);
    }

    // A resume of a changed-only run skips what its store says, as the run did.
    void changeModeTravelsThroughRunJson_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("all") << int(state::ChangeMode::All);
        QTest::newRow("changed-only") << int(state::ChangeMode::ChangedOnly);
        QTest::newRow("only-new") << int(state::ChangeMode::OnlyNew);
        QTest::newRow("only-existing") << int(state::ChangeMode::OnlyExisting);
    }
    void changeModeTravelsThroughRunJson()
    {
        QFETCH(int, mode);
        run::RunSettings s = minimal();
        s.changeMode = state::ChangeMode(mode);
        s.stateDir = QStringLiteral("/var/lib/headroom/state");
        QString error;
        const auto back = run::RunSettings::fromJson(s.toJson(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(int(back->changeMode), mode);
        QCOMPARE(back->stateDir, s.stateDir);
    }

    void unknownChangeModeIsRefused()
    {
        QJsonObject json = minimal().toJson();
        json.insert(QStringLiteral("change_mode"), QStringLiteral("sometimes"));
        QString error;
        QVERIFY(!run::RunSettings::fromJson(json, &error));
        QVERIFY2(error.contains(QStringLiteral("change_mode")), qPrintable(error));
    }

    void runJsonWithoutTheBoundGetsTheDefault()
    {
        QJsonObject json = minimal().toJson();
        json.remove(QStringLiteral("give_up_after"));
        QString error;
        const auto back = run::RunSettings::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->giveUpAfter, Duration(30min));
    }

    void badBoundIsRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("words") << QStringLiteral("soon");
        QTest::newRow("zero") << QStringLiteral("0s");
    }

    void badBoundIsRefused()
    {
        QFETCH(QString, text);
        QJsonObject json = minimal().toJson();
        json.insert(QStringLiteral("give_up_after"), text);
        QString error;
        QVERIFY(!run::RunSettings::fromJson(json, &error));
        QVERIFY2(error.contains(QStringLiteral("give_up_after")), qPrintable(error));
    }

    void summarySaysWhyTheRunGaveUp()
    {
        run::RunSummary summary;
        summary.ending = run::RunSummary::Ending::GaveUp;
        summary.stopped = QStringLiteral("no progress for 30m");
        summary.rowsTotal = 10;
        summary.rowsNotAttempted = 10;
        const QJsonObject json = summary.toJson();
        QCOMPARE(json.value(QStringLiteral("ending")).toString(), QStringLiteral("gave-up"));
        QCOMPARE(json.value(QStringLiteral("stopped")).toString(), QStringLiteral("no progress for 30m"));
        QCOMPARE(json.value(QStringLiteral("rows_done")).toInteger(), 0);
        // A run that ended otherwise has no such key.
        QVERIFY(!run::RunSummary().toJson().contains(QStringLiteral("stopped")));
    }
};

QTEST_GUILESS_MAIN(TestRunSettings)
#include "tst_runsettings.moc"
