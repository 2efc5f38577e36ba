// ResumeTarget: a resume sends the resumer's credentials where run.json says,
// so an address other than the profile's own needs the operator's --base-url.
#include "core/run/ResumeTarget.h"

#include <QTest>

using headroom::run::ResumeTarget;
using headroom::run::RunSettings;

class TestResumeTarget : public QObject
{
    Q_OBJECT
private slots:
    void refusesAnAddressNobodyRepeated_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("baseUrl"); // run.json's; empty: none kept
        QTest::addColumn<bool>("sandbox");
        QTest::addColumn<QString>("confirmed"); // --base-url; empty: not given
        QTest::addColumn<QString>("refusal");   // a piece of the message; empty: may resume
        QTest::newRow("profile default, none kept") << "customerio-track"
                                                    << "" << false << ""
                                                    << "";
        QTest::newRow("profile default, kept") << "customerio-track"
                                               << "https://track.customer.io" << false << ""
                                               << "";
        QTest::newRow("default with a slash") << "customerio-track"
                                              << "https://track.customer.io/" << false << ""
                                              << "";
        QTest::newRow("sandbox") << "customerio-track"
                                 << "" << true << ""
                                 << "";
        QTest::newRow("edited to elsewhere") << "customerio-track"
                                             << "https://evil.example" << false << ""
                                             << "--base-url https://evil.example";
        QTest::newRow("edited, repeated") << "customerio-track"
                                          << "https://evil.example" << false
                                          << "https://evil.example"
                                          << "";
        QTest::newRow("edited, another repeated") << "customerio-track"
                                                  << "https://evil.example" << false
                                                  << "https://other.example"
                                                  << "is not the base URL";
        QTest::newRow("generic has no default") << "generic"
                                                << "https://api.example.com" << false << ""
                                                << "no default base URL";
        QTest::newRow("generic, repeated") << "generic"
                                           << "https://api.example.com/v1" << false
                                           << "https://api.example.com/v1/"
                                           << "";
        QTest::newRow("sandbox run, --base-url") << "customerio-track"
                                                 << "" << true << "https://evil.example"
                                                 << "embedded sandbox";
    }

    void refusesAnAddressNobodyRepeated()
    {
        QFETCH(QString, profile);
        QFETCH(QString, baseUrl);
        QFETCH(bool, sandbox);
        QFETCH(QString, confirmed);
        QFETCH(QString, refusal);
        RunSettings settings;
        settings.profile = profile;
        settings.baseUrl = QUrl(baseUrl);
        settings.sandbox = sandbox;
        const std::optional<QUrl> given = confirmed.isEmpty() ? std::nullopt : std::optional<QUrl>(QUrl(confirmed));
        const QString why = ResumeTarget::refusal(settings, given);
        if (refusal.isEmpty())
            QVERIFY2(why.isEmpty(), qPrintable(why));
        else
            QVERIFY2(why.contains(refusal), qPrintable(why));
    }

    void saysWhereItSends()
    {
        RunSettings settings;
        settings.profile = QStringLiteral("customerio-track");
        QCOMPARE(ResumeTarget::describe(settings), QStringLiteral("https://track.customer.io"));
        settings.baseUrl = QUrl(QStringLiteral("https://evil.example/x"));
        QCOMPARE(ResumeTarget::describe(settings), QStringLiteral("https://evil.example/x"));
        settings.sandbox = true;
        QCOMPARE(ResumeTarget::describe(settings), QStringLiteral("the embedded sandbox"));
    }
};

QTEST_GUILESS_MAIN(TestResumeTarget)
#include "tst_resumetarget.moc"
