#pragma once

#include "http/Credentials.h"

#include <QNetworkRequest>
#include <QUrl>

#include <chrono>

namespace headroom::http {

// Turns (method, path, body) of one API call into a QNetworkRequest against a
// base URL, with auth, content type, user agent and transfer timeout. The only
// place an Authorization header is set.
class RequestFactory
{
public:
    RequestFactory() = default;
    RequestFactory(QUrl baseUrl, Credentials credentials, std::chrono::milliseconds transferTimeout);

    // `path` is already percent-encoded and relative to the base URL's path.
    QNetworkRequest build(const QString &path, bool hasBody) const;
    QUrl urlFor(const QString &path) const;

    const QUrl &baseUrl() const { return m_baseUrl; }
    const Credentials &credentials() const { return m_credentials; }

private:
    QUrl m_baseUrl;
    QByteArray m_basePrefix;
    Credentials m_credentials;
    std::chrono::milliseconds m_timeout{30000};
};

} // namespace headroom::http
