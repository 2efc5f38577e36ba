// headroom — the desktop console.
#include "MainWindow.h"
#include "version/Version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <cstring>

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

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Headroom console: push imports into rate-limited APIs at the limit, and watch the headroom."));
    parser.addHelpOption();
    parser.addVersionOption();
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
        describe(parser);
        parser.process(app);
        return 0;
    }

    QApplication app(argc, argv);
    setIdentity();
    QGuiApplication::setDesktopFileName(QString::fromLatin1(headroom::kDesktopFileName));
    QCommandLineParser parser;
    describe(parser);
    parser.process(app);

    headroom::ui::MainWindow window;
    window.show();
    return app.exec();
}
