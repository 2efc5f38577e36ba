#include "http/RequestFactory.h"

#include "version/Version.h"

namespace headroom::http {

RequestFactory::RequestFactory(QUrl baseUrl, Credentials credentials)
    : m_baseUrl(std::move(baseUrl))
    , m_credentials(std::move(credentials))
{
    m_basePrefix = m_baseUrl.toEncoded(QUrl::StripTrailingSlash);
    // StripTrailingSlash keeps a root path's "/": "https://host/" + "/v1" would be "//v1".
    while (m_basePrefix.endsWith('/'))
        m_basePrefix.chop(1);
    m_basePath = m_baseUrl.path(QUrl::FullyEncoded);
    while (m_basePath.endsWith(QLatin1Char('/')))
        m_basePath.chop(1);
    m_setPathOnly = m_baseUrl.isValid() && !m_baseUrl.hasQuery() && !m_baseUrl.hasFragment();
    static const QByteArray userAgent = QByteArray("Headroom/") + kVersion;
    m_withoutBody.setHeader(QNetworkRequest::UserAgentHeader, userAgent);
    m_withoutBody.setRawHeader("Accept", "application/json");
    if (!m_credentials.isEmpty())
        m_withoutBody.setRawHeader("Authorization", m_credentials.authorizationHeader());
    // Redirects would resend credentials to another host; an import never needs them.
    m_withoutBody.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    m_withoutBody.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    m_withBody = m_withoutBody;
    m_withBody.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
}

QUrl RequestFactory::urlFor(const QString &path) const
{
    // Setting path and query on a copy of the base skips parsing and
    // normalising scheme and host again: a third of a whole-URL parse.
    if (m_setPathOnly && !path.contains(QLatin1Char('#'))) {
        QUrl url = m_baseUrl;
        const qsizetype query = path.indexOf(QLatin1Char('?'));
        const QStringView pathPart = QStringView(path).left(query >= 0 ? query : path.size());
        QString fullPath = m_basePath;
        if (!pathPart.startsWith(QLatin1Char('/')))
            fullPath += QLatin1Char('/');
        fullPath += pathPart;
        url.setPath(fullPath, QUrl::TolerantMode);
        if (query >= 0)
            url.setQuery(path.mid(query + 1), QUrl::TolerantMode);
        return url;
    }
    QByteArray encoded = m_basePrefix;
    if (!path.startsWith(QLatin1Char('/')))
        encoded += '/';
    encoded += path.toUtf8();
    return QUrl::fromEncoded(encoded, QUrl::TolerantMode);
}

QNetworkRequest RequestFactory::build(const QString &path, bool hasBody) const
{
    QNetworkRequest request = hasBody ? m_withBody : m_withoutBody;
    request.setUrl(urlFor(path));
    return request;
}

} // namespace headroom::http
