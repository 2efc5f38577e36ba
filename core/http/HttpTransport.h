#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QObject>

#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace headroom::http {

// Sends requests over as many QNetworkAccessManagers as the wanted number of
// parallel connections needs. Qt 6.4's QNAM opens at most 6 HTTP/1.1
// connections per host and cannot be told otherwise, which at 200 ms latency
// caps one instance near 30 req/s; each extra instance has its own pool.
// Lives in the engine thread, like the QNAMs it owns.
class HttpTransport : public QObject
{
    Q_OBJECT
public:
    static constexpr int kConnectionsPerManager = 6;

    explicit HttpTransport(int maxConnections, QObject *parent = nullptr);
    ~HttpTransport() override;

    void setMaxConnections(int maxConnections);
    int maxConnections() const { return m_maxConnections; }
    int inFlight() const { return m_inFlight; }
    int managerCount() const { return int(m_pools.size()); }

    // Sends on the least busy manager. The caller owns the reply (deleteLater
    // it after replyFinished()). Never more than kConnectionsPerManager in
    // flight per manager, so no request waits hidden inside a QNAM queue.
    // sendOnce: the body may reach the server at most once per call (see
    // OneShotBody); QNAM's own resend then fails instead of sending a copy.
    QNetworkReply *send(const QNetworkRequest &request, const QByteArray &method, const QByteArray &body,
                        bool sendOnce = false);

signals:
    // Every reply's end, abort() included (emitted synchronously then). One
    // connection per manager rather than per reply: a connect and its
    // disconnect for every request is work on the engine thread.
    void replyFinished(QNetworkReply *reply);

private:
    struct Pool
    {
        QNetworkAccessManager *manager = nullptr;
        int inFlight = 0;
    };
    Pool &pickPool();
    void onManagerFinished(QNetworkReply *reply);

    std::vector<Pool> m_pools;
    int m_maxConnections = kConnectionsPerManager;
    int m_inFlight = 0;
};

} // namespace headroom::http
