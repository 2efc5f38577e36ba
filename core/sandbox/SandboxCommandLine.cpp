#include "core/sandbox/SandboxCommandLine.h"

#include "core/sandbox/SandboxConfig.h"
#include "core/sandbox/SandboxServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>

namespace headroom::sandbox {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sandbox", text);
}

} // namespace

int runSandboxCommandLine(const QStringList &arguments)
{
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Headroom sandbox: a local emulator of the Customer.io Track, App and Pipelines APIs, the\n"
        "Segment Public and Tracking APIs and a generic REST API, on 127.0.0.1. Base URLs:\n"
        "http://127.0.0.1:PORT/customerio-track, /customerio-app, /customerio-pipelines,\n"
        "/segment-public, /segment-tracking, /generic. Admin: /__sandbox/stats, /__sandbox/reset, /__sandbox/config, /__sandbox/outage.\n"
        "Prints {\"port\":N} on stdout when ready."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption portOption(QStringLiteral("port"), tr("Port on 127.0.0.1 (0 = any free port)."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption configOption(QStringLiteral("config"), tr("JSON config file."), QStringLiteral("file"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), tr("Only the port line; no log output."));
    parser.addOption(portOption);
    parser.addOption(configOption);
    parser.addOption(quietOption);
    SandboxConfig::addFlags(parser);

    if (!parser.parse(arguments)) {
        err << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(help)) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (parser.isSet(version)) {
        QTextStream(stdout) << QCoreApplication::applicationName() << ' '
                            << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << tr("unexpected argument '%1'").arg(parser.positionalArguments().first()) << '\n';
        return 2;
    }

    SandboxConfig config;
    if (parser.isSet(configOption)) {
        QFile file(parser.value(configOption));
        if (!file.open(QIODevice::ReadOnly)) {
            err << tr("cannot read config %1: %2").arg(file.fileName(), file.errorString()) << '\n';
            return 2;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            err << tr("config %1 is not a JSON object: %2").arg(file.fileName(), parseError.errorString()) << '\n';
            return 2;
        }
        QString error;
        config = SandboxConfig::fromJson(doc.object(), &error);
        if (!error.isEmpty()) {
            err << tr("config %1: %2").arg(file.fileName(), error) << '\n';
            return 2;
        }
    }
    QString error;
    if (!config.applyFlags(parser, &error)) {
        err << error << '\n';
        return 2;
    }
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        err << tr("--port must be between 0 and 65535") << '\n';
        return 2;
    }
    if (parser.isSet(quietOption))
        QLoggingCategory::setFilterRules(QStringLiteral("headroom.sandbox.info=false\nheadroom.sandbox.warning=false"));

    SandboxServer server(config);
    if (!server.listen(quint16(port))) {
        err << tr("cannot listen on 127.0.0.1:%1: %2").arg(port).arg(server.errorString()) << '\n';
        return 1;
    }
    QObject::connect(&server, &SandboxServer::lifetimeExpired, QCoreApplication::instance(),
                     [] { QCoreApplication::exit(0); });
    // The one line a supervising process waits for; flushed at once.
    const QByteArray ready = "{\"port\":" + QByteArray::number(server.port()) + "}\n";
    std::fwrite(ready.constData(), 1, size_t(ready.size()), stdout);
    std::fflush(stdout);
    if (!parser.isSet(quietOption)) {
        err << tr("headroom-sandbox listening on http://127.0.0.1:%1/ (stats: /__sandbox/stats)").arg(server.port())
            << '\n';
        err.flush();
    }
    return QCoreApplication::exec();
}

} // namespace headroom::sandbox
