#include "core/http/HttpTransport.h"

#include "core/http/OneShotBody.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>

namespace headroom::http {

HttpTransport::HttpTransport(int maxConnections, QObject *parent)
    : QObject(parent)
{
    setMaxConnections(maxConnections);
}

HttpTransport::~HttpTransport() = default;

void HttpTransport::setMaxConnections(int maxConnections)
{
    m_maxConnections = std::max(1, maxConnections);
}

HttpTransport::Pool &HttpTransport::pickPool()
{
    auto best = std::min_element(m_pools.begin(), m_pools.end(),
                                 [](const Pool &a, const Pool &b) { return a.inFlight < b.inFlight; });
    if (best != m_pools.end() && best->inFlight < kConnectionsPerManager)
        return *best;
    // All busy (or none yet): a new manager brings 6 more connections.
    Pool pool;
    pool.manager = new QNetworkAccessManager(this);
    pool.manager->setAutoDeleteReplies(false);
    connect(pool.manager, &QNetworkAccessManager::finished, this, &HttpTransport::onManagerFinished);
    m_pools.push_back(pool);
    return m_pools.back();
}

QNetworkReply *HttpTransport::send(const QNetworkRequest &request, const QByteArray &method, const QByteArray &body,
                                   bool sendOnce)
{
    Pool &pool = pickPool();
    QNetworkAccessManager *manager = pool.manager;
    QNetworkReply *reply = nullptr;
    if (sendOnce && !body.isEmpty()) {
        QNetworkRequest once = request;
        once.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        once.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
        auto *device = new OneShotBody(body);
        reply = manager->sendCustomRequest(once, method, device);
        device->setParent(reply);
    } else {
        reply = body.isEmpty() && method != "POST" && method != "PUT" && method != "PATCH"
                    ? manager->sendCustomRequest(request, method)
                    : manager->sendCustomRequest(request, method, body);
    }
    ++pool.inFlight;
    ++m_inFlight;
    return reply;
}

void HttpTransport::onManagerFinished(QNetworkReply *reply)
{
    --m_inFlight;
    for (Pool &p : m_pools) {
        if (p.manager == reply->manager()) {
            --p.inFlight;
            break;
        }
    }
    emit replyFinished(reply);
}

} // namespace headroom::http
