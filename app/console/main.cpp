// headroom — the desktop console.
#include "ui/MainWindow.h"
#include "ui/PanelPictures.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/transfers/TransferListPanel.h"
#include "ui/apis/EnvironmentCredentialStore.h"
#include "ui/apis/KeychainCredentialStore.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/apis/SessionCredentialStore.h"
#include "ui/live/LiveChartsPanel.h"
#include "ui/session/RunSession.h"
#include "core/version/Version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSpinBox>
#include <QTextStream>
#include <QDir>
#include <QTimer>
#include <algorithm>
#include <cstring>
#include <memory>

namespace {

bool wantsInfoOnly(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h") || !std::strcmp(a, "--version")
            || !std::strcmp(a, "-v") || !std::strcmp(a, "--help-all"))
            return true;
    }
    return false;
}

struct Options
{
    QCommandLineOption sandbox{QStringLiteral("sandbox"),
                               QCoreApplication::translate("main", "Target the embedded sandbox on 127.0.0.1.")};
    QCommandLineOption file{QStringLiteral("file"), QCoreApplication::translate("main", "Open this import file."),
                            QStringLiteral("F")};
    // Hidden: scripts/screenshots.sh starts a run, grabs each panel mid-run and quits.
    QCommandLineOption screenshots{QStringLiteral("screenshots"), QStringLiteral("Save panel PNGs here mid-run, then quit."),
                                   QStringLiteral("DIR")};
    QCommandLineOption screenshotAfter{QStringLiteral("screenshot-after-ms"), QStringLiteral("Delay before the screenshots."),
                                       QStringLiteral("MS"), QStringLiteral("4000")};
    QCommandLineOption runsDir{QStringLiteral("runs-dir"), QStringLiteral("Directory for run directories."),
                               QStringLiteral("DIR")};

    Options()
    {
        screenshots.setFlags(QCommandLineOption::HiddenFromHelp);
        screenshotAfter.setFlags(QCommandLineOption::HiddenFromHelp);
        runsDir.setFlags(QCommandLineOption::HiddenFromHelp);
    }
};

void describe(QCommandLineParser &parser, const Options &options)
{
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Headroom console: push imports into rate-limited APIs at the limit, and watch the headroom."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({options.sandbox, options.file, options.screenshots, options.screenshotAfter, options.runsDir});
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QCoreApplication::translate("main", "Import files to add to the transfer list."),
                                 QStringLiteral("[files...]"));
}

void setIdentity()
{
    QCoreApplication::setApplicationName(QString::fromLatin1(headroom::kApplicationName));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(headroom::kVersion));
    QCoreApplication::setOrganizationDomain(QString::fromLatin1(headroom::kOrganizationDomain));
}

} // namespace

int main(int argc, char **argv)
{
    // --help and --version must work over SSH with no display: answer them
    // before a QApplication tries to open one.
    if (wantsInfoOnly(argc, argv)) {
        QCoreApplication app(argc, argv);
        setIdentity();
        QCommandLineParser parser;
        const Options options;
        describe(parser, options);
        parser.process(app);
        return 0;
    }

    QApplication app(argc, argv);
    setIdentity();
    QGuiApplication::setDesktopFileName(QString::fromLatin1(headroom::kDesktopFileName));
    QCommandLineParser parser;
    const Options options;
    describe(parser, options);
    parser.process(app);

    const bool screenshots = parser.isSet(options.screenshots);
    // Screenshots run with no keychain daemon: keep secrets in memory there.
    std::unique_ptr<headroom::ui::CredentialStore> credentials;
    if (screenshots)
        credentials = std::make_unique<headroom::ui::MemoryCredentialStore>();
    else
        credentials = std::make_unique<headroom::ui::KeychainCredentialStore>(QString::fromLatin1(headroom::kDesktopFileName));

    // HEADROOM_* from the terminal first, as headroom-cli reads them, then
    // what the operator keeps for this session only: a desktop without a
    // keychain can still run a real import.
    headroom::ui::SessionCredentialStore forSession(credentials.get());
    headroom::ui::EnvironmentCredentialStore fromEnvironment(QProcessEnvironment::systemEnvironment(), &forSession);
    headroom::ui::MainWindow window(&fromEnvironment);
    headroom::ui::MainWindow::StartupOptions startup;
    startup.sandbox = parser.isSet(options.sandbox);
    startup.file = parser.value(options.file);
    startup.runsDirectory = parser.value(options.runsDir);
    startup.imports = parser.positionalArguments();
    window.applyStartup(startup);
    window.show();
    if (screenshots && !startup.imports.isEmpty()) {
        window.transferPanel()->maxActiveBox()->setValue(int(startup.imports.size())); // all of them mid-run
        window.transferPanel()->showAll(true);                                         // the charts of every run, per scope
    }

    if (screenshots) {
        const QString directory = parser.value(options.screenshots);
        const int after = parser.value(options.screenshotAfter).toInt();
        QTimer::singleShot(300, &window, &headroom::ui::MainWindow::startRun);
        QTimer::singleShot(300 + std::max(0, after), &window, [&window, directory] {
            window.livePanel()->refresh();
            QStringList written = headroom::ui::PanelPictures::save(window, directory);
            written += window.livePanel()->exportPng(directory);
            // The profile with the most scopes, after the run's pictures.
            window.apiPanel()->setSettings(headroom::ui::ApiSettingsPanel::defaultsFor(QStringLiteral("customerio-app")));
            QCoreApplication::processEvents();
            const QString app = QDir(directory).filePath(QStringLiteral("apis-scopes-customerio-app.png"));
            if (window.apiPanel()->scopesBox()->grab().save(app, "PNG"))
                written << app;
            QTextStream out(stdout);
            for (const QString &path : std::as_const(written))
                out << path << '\n';
            window.session()->controller()->cancel();
            QCoreApplication::exit(written.isEmpty() ? 1 : 0);
        });
    }
    return app.exec();
}
