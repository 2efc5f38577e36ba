// headroom-sandbox — local emulator of the rate-limited APIs (issue 4 fills it in).
#include "version/Version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("headroom-sandbox"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(headroom::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("sandbox",
        "Headroom sandbox: a local emulator of Customer.io and Segment APIs on 127.0.0.1."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    QTextStream(stderr) << QCoreApplication::translate("sandbox",
        "headroom-sandbox: the emulator is not implemented in this build yet.\n");
    return 1;
}
