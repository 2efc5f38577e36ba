#include "core/state/SendDecision.h"

#include <QTest>

using headroom::state::ChangeMode;
using headroom::state::SendDecision;
using Reason = SendDecision::Reason;

Q_DECLARE_METATYPE(ChangeMode)
Q_DECLARE_METATYPE(Reason)

class TestSendDecision : public QObject
{
    Q_OBJECT

private slots:
    void decides_data()
    {
        QTest::addColumn<ChangeMode>("mode");
        QTest::addColumn<QString>("stored"); // "" none, "a" or "b"
        QTest::addColumn<bool>("send");
        QTest::addColumn<Reason>("reason");
        // The row's fingerprint is always "a".
        QTest::newRow("all, none") << ChangeMode::All << "" << true << Reason::Unfiltered;
        QTest::newRow("all, same") << ChangeMode::All << "a" << true << Reason::Unfiltered;
        QTest::newRow("changed-only, none") << ChangeMode::ChangedOnly << "" << true << Reason::New;
        QTest::newRow("changed-only, same") << ChangeMode::ChangedOnly << "a" << false << Reason::Unchanged;
        QTest::newRow("changed-only, other") << ChangeMode::ChangedOnly << "b" << true << Reason::Changed;
        QTest::newRow("only-new, none") << ChangeMode::OnlyNew << "" << true << Reason::New;
        QTest::newRow("only-new, same") << ChangeMode::OnlyNew << "a" << false << Reason::Known;
        QTest::newRow("only-new, other") << ChangeMode::OnlyNew << "b" << false << Reason::Known;
        QTest::newRow("only-existing, none") << ChangeMode::OnlyExisting << "" << false << Reason::Unknown;
        QTest::newRow("only-existing, same") << ChangeMode::OnlyExisting << "a" << true << Reason::Existing;
        QTest::newRow("only-existing, other") << ChangeMode::OnlyExisting << "b" << true << Reason::Existing;
    }

    void decides()
    {
        QFETCH(ChangeMode, mode);
        QFETCH(QString, stored);
        QFETCH(bool, send);
        QFETCH(Reason, reason);
        const std::optional<QByteArray> known =
            stored.isEmpty() ? std::nullopt : std::optional<QByteArray>(stored.toUtf8());
        const SendDecision::Verdict verdict = SendDecision::decide(mode, known, QByteArrayLiteral("a"));
        QCOMPARE(verdict.send, send);
        QCOMPARE(verdict.reason, reason);
    }

    void modeNamesRoundTrip()
    {
        for (ChangeMode m : {ChangeMode::All, ChangeMode::ChangedOnly, ChangeMode::OnlyNew, ChangeMode::OnlyExisting})
            QCOMPARE(headroom::state::changeModeFromName(headroom::state::changeModeName(m)), m);
        QVERIFY(!headroom::state::changeModeFromName("changed").has_value());
    }
};

QTEST_GUILESS_MAIN(TestSendDecision)
#include "tst_senddecision.moc"
