#include "http/RequestFactory.h"

#include "version/Version.h"

namespace headroom::http {

RequestFactory::RequestFactory(QUrl baseUrl, Credentials credentials)
    : m_baseUrl(std::move(baseUrl))
    , m_credentials(std::move(credentials))
{
    m_basePrefix = m_baseUrl.toEncoded(QUrl::StripTrailingSlash);
}

QUrl RequestFactory::urlFor(const QString &path) const
{
    QByteArray encoded = m_basePrefix;
    if (!path.startsWith(QLatin1Char('/')))
        encoded += '/';
    encoded += path.toUtf8();
    return QUrl::fromEncoded(encoded, QUrl::TolerantMode);
}

QNetworkRequest RequestFactory::build(const QString &path, bool hasBody) const
{
    QNetworkRequest request(urlFor(path));
    static const QByteArray userAgent = QByteArray("Headroom/") + kVersion;
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent);
    request.setRawHeader("Accept", "application/json");
    if (hasBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_credentials.isEmpty())
        request.setRawHeader("Authorization", m_credentials.authorizationHeader());
    // Redirects would resend credentials to another host; an import never needs them.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    return request;
}

} // namespace headroom::http
