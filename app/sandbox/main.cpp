// headroom-sandbox — local emulator of the rate-limited APIs on 127.0.0.1.
#include "core/sandbox/SandboxCommandLine.h"
#include "core/version/Version.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("headroom-sandbox"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(headroom::kVersion));
    return headroom::sandbox::runSandboxCommandLine(QCoreApplication::arguments());
}
