#pragma once

#include "core/sandbox/SandboxConfig.h"

#include <QJsonObject>
#include <QObject>
#include <QThread>
#include <QUrl>

namespace headroom::sandbox {

class SandboxServer;

// Runs a SandboxServer on its own thread so a test or the GUI can embed the
// sandbox next to a client on its own event loop. Every member is called
// from the owning thread and is thread-safe towards the server.
class SandboxThread : public QObject
{
    Q_OBJECT
public:
    explicit SandboxThread(QObject *parent = nullptr);
    ~SandboxThread() override;

    // Blocks until the server listens; returns its port, or 0 and `error`.
    quint16 start(const SandboxConfig &config = SandboxConfig(), quint16 port = 0, QString *error = nullptr);
    void stop();
    bool isRunning() const { return m_server != nullptr; }
    quint16 port() const { return m_port; }
    // http://127.0.0.1:<port>/<api>, the base URL of a profile.
    QUrl baseUrl(const QString &api) const;

    QJsonObject stats(bool withIdentities = false) const;
    void reset();
    void setConfig(const SandboxConfig &config);
    bool mergeConfig(const QJsonObject &partial, QString *error = nullptr);
    SandboxConfig config() const;
    // Starts an outage now (seconds = 0 ends one).
    void startOutage(double seconds, OutageMode mode = OutageMode::Fail);

private:
    QThread m_thread;
    SandboxServer *m_server = nullptr;
    quint16 m_port = 0;
};

} // namespace headroom::sandbox
