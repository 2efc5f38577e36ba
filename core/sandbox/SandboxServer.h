#pragma once

#include "core/clock/Clock.h"
#include "core/sandbox/SandboxConfig.h"
#include "core/sandbox/SandboxService.h"
#include "core/sandbox/SandboxStats.h"

#include <QJsonObject>
#include <QObject>
#include <QTcpServer>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <optional>

namespace headroom::sandbox {

class HttpConnection;
struct HttpRequest;

// The sandbox on one port of 127.0.0.1: a small HTTP/1.1 server (keep-alive,
// pipelining, delayed answers that are dropped safely when the client left)
// in front of SandboxService, plus the admin endpoints under /__sandbox/:
//   GET  /__sandbox/stats[?identities=1]   counters, rejections, maxInWindow
//   POST /__sandbox/reset                  counters and limit windows to zero, outage off
//   GET  /__sandbox/config                 the effective config
//   POST /__sandbox/config                 merge a partial JSON config
//   POST /__sandbox/outage?seconds=N[&mode=fail|refuse]   start (N = 0: end) an outage
//   GET  /__sandbox/health
// The admin endpoints answer only requests addressed to this machine (Host
// 127.0.0.1, localhost or [::1]), from no other web origin, and POSTs with
// JSON or no body: a web page the operator visits cannot reconfigure it
// (DNS rebinding, a cross-site text/plain form).
// Lives on one thread; stats() may be called from any.
class SandboxServer : public QObject
{
    Q_OBJECT
public:
    explicit SandboxServer(const SandboxConfig &config = SandboxConfig(), const Clock *clock = nullptr,
                           QObject *parent = nullptr);
    ~SandboxServer() override;

    // Binds 127.0.0.1 only; port 0 picks a free one.
    bool listen(quint16 port = 0);
    quint16 port() const { return m_port.load(); }
    QString errorString() const { return m_error; }

    // Thread-safe snapshot.
    QJsonObject stats(bool withIdentities = false) const;

    // Call on the server's thread (SandboxThread does that for you).
    void reset();
    void setConfig(const SandboxConfig &config);
    bool mergeConfig(const QJsonObject &partial, QString *error);
    SandboxConfig config() const { return m_service.config(); }
    // A request unfinished this long after its first byte is answered 408
    // and its connection closed (connections made from now on).
    void setRequestTimeout(std::chrono::milliseconds timeout) { m_requestTimeout = timeout; }
    // Starts an outage now for `length` (zero ends one).
    void startOutage(Duration length, OutageMode mode);

Q_SIGNALS:
    // The configured lifetime has passed; the command line quits on it.
    void lifetimeExpired();

private:
    void onNewConnection();
    void onRequest(HttpConnection *connection, const HttpRequest &request);
    HttpResponse handleAdmin(const HttpRequest &request);
    std::optional<HttpResponse> refuseForeignAdmin(const HttpRequest &request) const;
    void endOutage();
    void reopenListener();
    void applyTimers();

    const Clock *m_clock;
    SandboxStats m_stats;
    SandboxService m_service;
    QTcpServer *m_listener;
    QTimer *m_lifetimeTimer;
    QTimer *m_outageTimer;
    QTimer *m_scheduledOutageTimer;
    QTimer *m_neighbourTimer;
    std::atomic<quint16> m_port{0};
    // End of the current outage (steady ns since epoch; 0 = none), readable from any thread.
    std::atomic<qint64> m_outageUntilNs{0};
    TimePoint m_startedAt{};
    QString m_error;
    std::chrono::milliseconds m_requestTimeout{10'000};
};

} // namespace headroom::sandbox
