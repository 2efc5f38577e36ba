// RunSummary's outcome counts: what summary.json and the CLI's last line say
// about rows delivered, rejected by class, and ambiguous.
#include "core/run/RunSummary.h"

#include <QJsonObject>
#include <QTest>

using namespace headroom::run;

class TestRunSummary : public QObject
{
    Q_OBJECT

private slots:
    void countsEachClass()
    {
        RunSummary s;
        s.rowsDone = 995;
        s.countOutcome({AttemptOutcome::Kind::Rejected, AttemptOutcome::RejectClass::Schema}, 2);
        s.countOutcome({AttemptOutcome::Kind::Rejected, AttemptOutcome::RejectClass::Identifier}, 1);
        s.countOutcome({AttemptOutcome::Kind::Ambiguous}, 2);
        s.countOutcome({AttemptOutcome::Kind::Delivered}, 7); // delivered rows are rowsDone, not counted here
        s.attemptsAmbiguous = 9;
        const QJsonObject o = s.toJson();
        QCOMPARE(o.value(QStringLiteral("rows_delivered")).toInteger(), 995);
        QCOMPARE(o.value(QStringLiteral("rows_rejected")).toInteger(), 3);
        const QJsonObject by = o.value(QStringLiteral("rows_rejected_by")).toObject();
        QCOMPARE(by.value(QStringLiteral("schema")).toInteger(), 2);
        QCOMPARE(by.value(QStringLiteral("identifier")).toInteger(), 1);
        QCOMPARE(by.value(QStringLiteral("size")).toInteger(), 0);
        QCOMPARE(by.size(), 6);
        QCOMPARE(o.value(QStringLiteral("rows_ambiguous")).toInteger(), 2);
        QCOMPARE(o.value(QStringLiteral("attempts_ambiguous")).toInteger(), 9);
        QCOMPARE(s.outcomeText(), QStringLiteral("995 delivered, 3 rejected (identifier 1, schema 2), 2 ambiguous"));
    }

    void cleanRunSaysSo()
    {
        RunSummary s;
        s.rowsDone = 10;
        QCOMPARE(s.outcomeText(), QStringLiteral("10 delivered, 0 rejected, 0 ambiguous"));
    }
};

QTEST_GUILESS_MAIN(TestRunSummary)
#include "tst_runsummary.moc"
