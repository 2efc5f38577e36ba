// Credentials without a keychain: the console started with HEADROOM_* in its
// environment uses them as headroom-cli does, the APIs panel says where they
// come from (never their value), and a keychain that refuses says what to do.
#include "tests/ui/ConsoleFixture.h"
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/EnvironmentCredentialStore.h"
#include "core/run/RunSummary.h"
#include "core/sandbox/SandboxThread.h"
#include "ui/session/RunSession.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;

namespace {

constexpr auto kSiteId = "site-id-not-to-be-shown-7f3a";
constexpr auto kApiKey = "api-key-not-to-be-shown-91c2";
constexpr auto kNoDbus = "Failed to execute child process \"dbus-launch\" (No such file or directory)";

// A desktop without a Secret Service daemon: every keychain job fails.
class NoKeychain final : public CredentialStore
{
public:
    using CredentialStore::CredentialStore;
    int reads = 0;
    void read(const QString &, ReadDone done) override
    {
        ++reads;
        done(QString(), QString::fromLatin1(kNoDbus));
    }
    void write(const QString &, const QString &, WriteDone done) override { done(QString::fromLatin1(kNoDbus)); }
};

QProcessEnvironment environment()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HEADROOM_SITE_ID"), QString::fromLatin1(kSiteId));
    env.insert(QStringLiteral("HEADROOM_API_KEY"), QString::fromLatin1(kApiKey));
    env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin"));
    return env;
}

// Customer.io Track in the US region: real credentials, not the sandbox's.
run::RunSettings realTrack()
{
    run::RunSettings s = ApiSettingsPanel::defaultsFor(QStringLiteral("customerio-track"));
    s.sandbox = false;
    return s;
}

// Every string the panel shows or reads out, to prove no secret is among them.
QStringList shownText(const QWidget &panel)
{
    QStringList shown;
    for (const QLabel *label : panel.findChildren<QLabel *>())
        shown << label->text() << label->toolTip();
    for (const QLineEdit *field : panel.findChildren<QLineEdit *>())
        shown << field->text() << field->placeholderText() << field->toolTip() << field->accessibleName();
    return shown;
}

QLabel *statusLabel(const QWidget &panel, const QString &containing)
{
    for (QLabel *label : panel.findChildren<QLabel *>()) {
        if (label->text().contains(containing))
            return label;
    }
    return nullptr;
}

} // namespace

class TestCredentialsEnvironment : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
    }

    void secretsFromTheEnvironmentAreReadWithoutTheKeychain()
    {
        NoKeychain keychain;
        EnvironmentCredentialStore store(environment(), &keychain);
        const QString key = RunSession::credentialKey(QStringLiteral("customerio-track"), QStringLiteral("HEADROOM_API_KEY"));
        QVERIFY(store.fromEnvironment(key));
        QString value;
        QString error = QStringLiteral("not called");
        store.read(key, [&](const QString &v, const QString &e) {
            value = v;
            error = e;
        });
        QCOMPARE(value, QString::fromLatin1(kApiKey));
        QVERIFY(error.isEmpty());
        QCOMPARE(keychain.reads, 0);
        // Not set in the environment (nor PATH, which is no credential): the keychain is asked.
        const QString token = RunSession::credentialKey(QStringLiteral("segment"), QStringLiteral("HEADROOM_TOKEN"));
        QVERIFY(!store.fromEnvironment(token));
        QVERIFY(!store.fromEnvironment(QStringLiteral("x/PATH")));
        store.read(token, [&](const QString &, const QString &e) { error = e; });
        QCOMPARE(keychain.reads, 1);
        QVERIFY(error.contains(QLatin1String("dbus-launch")));
    }

    void thePanelSaysFromEnvironmentAndNeverShowsTheValue()
    {
        NoKeychain keychain;
        EnvironmentCredentialStore store(environment(), &keychain);
        ApiSettingsPanel panel(&store);
        panel.setSettings(realTrack());
        panel.show();
        for (const QString &variable : {QStringLiteral("HEADROOM_SITE_ID"), QStringLiteral("HEADROOM_API_KEY")}) {
            QLineEdit *field = panel.credentialField(variable);
            QVERIFY(field);
            QCOMPARE(field->placeholderText(), ApiSettingsPanel::tr("from environment"));
            QVERIFY(!field->isEnabled()); // in use as it is; nothing to type
            QVERIFY(field->text().isEmpty());
        }
        QVERIFY(statusLabel(panel, QStringLiteral("HEADROOM_API_KEY, HEADROOM_SITE_ID: from environment")));
        // The Redis password is not in the environment: still typed, still stored.
        QVERIFY(panel.credentialField(RunSession::redisPasswordVariable())->isEnabled());
        for (const QString &text : shownText(panel)) {
            QVERIFY2(!text.contains(QLatin1String(kSiteId)) && !text.contains(QLatin1String(kApiKey)),
                     qPrintable(text));
        }
    }

    void aRefusingKeychainSaysWhatToDoInstead()
    {
        NoKeychain keychain;
        EnvironmentCredentialStore store(QProcessEnvironment(), &keychain); // started without HEADROOM_*
        ApiSettingsPanel panel(&store);
        panel.setSettings(realTrack());
        QVERIFY(panel.credentialField(QStringLiteral("HEADROOM_API_KEY"))->isEnabled());
        QVERIFY(statusLabel(panel, ApiSettingsPanel::tr("system keychain")));
        panel.saveCredential(QStringLiteral("HEADROOM_API_KEY"), QStringLiteral("typed-secret"));
        QLabel *status = statusLabel(panel, QStringLiteral("dbus-launch"));
        QVERIFY(status);
        QVERIFY2(status->text().contains(QLatin1String("start the console from a terminal with HEADROOM_API_KEY set in "
                                                       "the environment")),
                 qPrintable(status->text()));
        QVERIFY(!status->text().contains(QLatin1String("typed-secret")));
    }

    // A real import with no keychain at all: a loopback target that answers
    // 401 to any other pair finishes only with the environment's credentials.
    void aConsoleRunUsesTheEnvironmentWithoutAKeychain()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        NoKeychain keychain;
        EnvironmentCredentialStore store(environment(), &keychain);
        MainWindow window(&store);
        constexpr int kRows = 20;
        testing::openOnSandbox(window, testing::writeFile(dir, QStringLiteral("env.csv"), testing::customersCsv("env-", kRows)),
                               dir.filePath(QStringLiteral("runs")));
        RunSession *session = window.session();
        QVERIFY(testing::limitSandbox(session, 50, 200ms));
        sandbox::SandboxConfig config = session->sandbox()->config();
        config.credentials.trackWorkspaces.insert(QString::fromLatin1(kSiteId), QString::fromLatin1(kApiKey));
        session->sandbox()->setConfig(config);
        run::RunSettings s = window.apiPanel()->settings();
        s.profile = QStringLiteral("customerio-track");
        s.sandbox = false;
        s.baseUrl = session->sandbox()->baseUrl(QStringLiteral("customerio-track"));
        s.rate = 50;
        s.window = 200ms;
        window.apiPanel()->setSettings(s);

        QSignalSpy started(session, &RunSession::started);
        QSignalSpy finished(session->controller(), &run::RunController::finished);
        QSignalSpy failed(session, &RunSession::failedToStart);
        window.startAction()->trigger();
        const bool ran = started.wait(5000) && finished.wait(15000);
        QVERIFY2(ran, failed.isEmpty() ? "no run" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(finished.at(0).at(0).value<run::RunSummary>().rowsDone, qint64(kRows));
        QCOMPARE(keychain.reads, 0);
    }
};

QTEST_MAIN(TestCredentialsEnvironment)
#include "tst_credentials_environment.moc"
