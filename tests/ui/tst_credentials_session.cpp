// Credentials for this session only: on a desktop whose keychain refuses
// every job (no Secret Service daemon, dbus-launch missing), the secrets
// typed into APIs & rates are kept in memory when the operator says so; the
// panel says where each comes from and never shows it; a real import (a
// loopback target that answers 401 to any other pair) runs with them; no
// file of the run holds the API key.
#include "tests/ui/ConsoleFixture.h"
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/EnvironmentCredentialStore.h"
#include "ui/apis/SessionCredentialStore.h"
#include "core/run/RunSummary.h"
#include "core/sandbox/SandboxThread.h"
#include "ui/session/RunSession.h"

#include <QAction>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;

namespace {

constexpr auto kSiteId = "session-site-not-to-be-shown-4d1e";
constexpr auto kApiKey = "session-key-not-to-be-shown-a09b";
constexpr auto kNoDbus = "Failed to execute child process \"dbus-launch\" (No such file or directory)";

// A desktop without a Secret Service daemon: every keychain job fails.
class NoKeychain final : public CredentialStore
{
public:
    using CredentialStore::CredentialStore;
    int reads = 0;
    int writes = 0;
    void read(const QString &, ReadDone done) override
    {
        ++reads;
        done(QString(), QString::fromLatin1(kNoDbus));
    }
    void write(const QString &, const QString &, WriteDone done) override
    {
        ++writes;
        done(QString::fromLatin1(kNoDbus));
    }
};

QStringList shownText(const QWidget &panel)
{
    QStringList shown;
    for (const QLabel *label : panel.findChildren<QLabel *>())
        shown << label->text() << label->toolTip();
    for (const QLineEdit *field : panel.findChildren<QLineEdit *>())
        shown << field->displayText() << field->placeholderText() << field->toolTip() << field->accessibleName();
    return shown;
}

QLabel *labelContaining(const QWidget &panel, const QString &text)
{
    for (QLabel *label : panel.findChildren<QLabel *>()) {
        if (label->text().contains(text))
            return label;
    }
    return nullptr;
}

} // namespace

class TestCredentialsSession : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
    }

    void theSessionStoreHoldsWhatTheKeychainRefuses()
    {
        NoKeychain keychain;
        SessionCredentialStore store(&keychain);
        const QString key = RunSession::credentialKey(QStringLiteral("customerio-track"), QStringLiteral("HEADROOM_API_KEY"));
        QCOMPARE(store.sourceOf(key), CredentialStore::Source::Keychain);
        QString error;
        store.write(key, QStringLiteral("v"), [&](const QString &e) { error = e; });
        QVERIFY(error.contains(QLatin1String("dbus-launch")));
        QVERIFY(store.keepForSession(key, QString::fromLatin1(kApiKey)));
        QCOMPARE(store.sourceOf(key), CredentialStore::Source::Session);
        QString value;
        store.read(key, [&](const QString &v, const QString &e) {
            value = v;
            error = e;
        });
        QCOMPARE(value, QString::fromLatin1(kApiKey));
        QVERIFY(error.isEmpty());
        QCOMPARE(keychain.reads, 0);
        // Forgotten: the keychain is asked again.
        QVERIFY(store.keepForSession(key, QString()));
        QCOMPARE(store.sourceOf(key), CredentialStore::Source::Keychain);
        store.read(key, [&](const QString &, const QString &e) { error = e; });
        QCOMPARE(keychain.reads, 1);
        // A variable of the environment stays the environment's.
        QProcessEnvironment env;
        env.insert(QStringLiteral("HEADROOM_API_KEY"), QStringLiteral("from-env"));
        EnvironmentCredentialStore front(env, &store);
        QVERIFY(!front.keepForSession(key, QStringLiteral("other")));
        QCOMPARE(front.sourceOf(key), CredentialStore::Source::Environment);
    }

    void aRefusingKeychainOffersThisSessionAndTheRunStarts()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        NoKeychain keychain;
        SessionCredentialStore session(&keychain);
        EnvironmentCredentialStore store(QProcessEnvironment(), &session); // started without HEADROOM_*
        MainWindow window(&store);
        constexpr int kRows = 20;
        const QString runs = dir.filePath(QStringLiteral("runs"));
        testing::openOnSandbox(window, testing::writeFile(dir, QStringLiteral("s.csv"), testing::customersCsv("s-", kRows)),
                               runs);
        RunSession *runSession = window.session();
        QVERIFY(testing::limitSandbox(runSession, 50, 200ms));
        sandbox::SandboxConfig config = runSession->sandbox()->config();
        config.credentials.trackWorkspaces.insert(QString::fromLatin1(kSiteId), QString::fromLatin1(kApiKey));
        runSession->sandbox()->setConfig(config);
        run::RunSettings s = window.apiPanel()->settings();
        s.profile = QStringLiteral("customerio-track");
        s.sandbox = false;
        s.baseUrl = runSession->sandbox()->baseUrl(QStringLiteral("customerio-track"));
        s.rate = 50;
        s.window = 200ms;
        ApiSettingsPanel *panel = window.apiPanel();
        panel->setSettings(s);
        window.show();

        QLineEdit *site = panel->credentialField(QStringLiteral("HEADROOM_SITE_ID"));
        QLineEdit *apiKey = panel->credentialField(QStringLiteral("HEADROOM_API_KEY"));
        QVERIFY(site && apiKey && site->isEnabled() && apiKey->isEnabled());
        QTest::keyClicks(site, QString::fromLatin1(kSiteId));
        QTest::keyClicks(apiKey, QString::fromLatin1(kApiKey));

        // The keychain refuses; the panel offers this session, the typed secrets wait in their fields.
        QTest::mouseClick(panel->saveButton(), Qt::LeftButton);
        QVERIFY(keychain.writes >= 2);
        QLabel *status = labelContaining(*panel, QStringLiteral("dbus-launch"));
        QVERIFY(status);
        QVERIFY2(status->text().contains(QLatin1String("for this session only")), qPrintable(status->text()));
        QCOMPARE(site->text(), QString::fromLatin1(kSiteId));
        QVERIFY(panel->keepForSessionButton()->isVisible() && panel->keepForSessionButton()->isEnabled());

        QTest::mouseClick(panel->keepForSessionButton(), Qt::LeftButton);
        QVERIFY(site->text().isEmpty() && apiKey->text().isEmpty());
        QCOMPARE(apiKey->placeholderText(), ApiSettingsPanel::tr("this session only"));
        QVERIFY(labelContaining(*panel, QStringLiteral("HEADROOM_API_KEY, HEADROOM_SITE_ID: this session only")));
        for (const QString &text : shownText(*panel)) {
            QVERIFY2(!text.contains(QLatin1String(kSiteId)) && !text.contains(QLatin1String(kApiKey)), qPrintable(text));
        }

        QSignalSpy started(runSession, &RunSession::started);
        QSignalSpy finished(runSession->controller(), &run::RunController::finished);
        QSignalSpy failed(runSession, &RunSession::failedToStart);
        window.startAction()->trigger();
        const bool ran = started.wait(5000) && finished.wait(15000);
        QVERIFY2(ran, failed.isEmpty() ? "no run" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(finished.at(0).at(0).value<run::RunSummary>().rowsDone, qint64(kRows));
        QCOMPARE(keychain.reads, 0);

        // Kept in memory, never written: no file of the run holds the API key
        // (the site id names the workspace in lane names, as in the CLI's runs).
        int files = 0;
        QDirIterator it(runs, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            QVERIFY2(!content.contains(kApiKey), qPrintable(file.fileName()));
            ++files;
        }
        QVERIFY(files >= 3); // run.json, journal, requests.jsonl, summary.json
    }
};

QTEST_MAIN(TestCredentialsSession)
#include "tst_credentials_session.moc"
