#include "core/sandbox/SandboxThread.h"

#include "core/sandbox/SandboxServer.h"

namespace headroom::sandbox {

SandboxThread::SandboxThread(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("headroom-sandbox"));
}

SandboxThread::~SandboxThread()
{
    stop();
}

quint16 SandboxThread::start(const SandboxConfig &config, quint16 port, QString *error)
{
    stop();
    m_server = new SandboxServer(config);
    m_server->moveToThread(&m_thread);
    m_thread.start();
    bool listening = false;
    QString message;
    QMetaObject::invokeMethod(
        m_server, [&] {
            listening = m_server->listen(port);
            message = m_server->errorString();
        },
        Qt::BlockingQueuedConnection);
    if (!listening) {
        if (error)
            *error = message;
        stop();
        return 0;
    }
    m_port = m_server->port();
    return m_port;
}

void SandboxThread::stop()
{
    if (m_server) {
        SandboxServer *server = m_server;
        m_server = nullptr;
        // Sockets and timers must die on the thread that owns them.
        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
    m_port = 0;
}

QUrl SandboxThread::baseUrl(const QString &api) const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    url.setPath(QLatin1Char('/') + api);
    return url;
}

QJsonObject SandboxThread::stats(bool withIdentities) const
{
    return m_server ? m_server->stats(withIdentities) : QJsonObject();
}

void SandboxThread::reset()
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [this] { m_server->reset(); }, Qt::BlockingQueuedConnection);
}

void SandboxThread::setConfig(const SandboxConfig &config)
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [&] { m_server->setConfig(config); }, Qt::BlockingQueuedConnection);
}

bool SandboxThread::mergeConfig(const QJsonObject &partial, QString *error)
{
    bool ok = false;
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [&] { ok = m_server->mergeConfig(partial, error); },
            Qt::BlockingQueuedConnection);
    return ok;
}

SandboxConfig SandboxThread::config() const
{
    SandboxConfig result;
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [&] { result = m_server->config(); }, Qt::BlockingQueuedConnection);
    return result;
}

void SandboxThread::startOutage(double seconds, OutageMode mode)
{
    if (!m_server)
        return;
    const auto length = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
    QMetaObject::invokeMethod(
        m_server, [&] { m_server->startOutage(length, mode); }, Qt::BlockingQueuedConnection);
}

} // namespace headroom::sandbox
