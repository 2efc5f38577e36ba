#include "http/RequestFactory.h"

#include "version/Version.h"

#include <optional>

namespace headroom::http {

RequestFactory::RequestFactory(QUrl baseUrl, Credentials credentials)
    : m_baseUrl(std::move(baseUrl))
    , m_credentials(std::move(credentials))
{
    m_basePath = m_baseUrl.path(QUrl::FullyEncoded);
    while (m_basePath.endsWith(QLatin1Char('/')))
        m_basePath.chop(1);
    m_baseQuery = m_baseUrl.query(QUrl::FullyEncoded);
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
    // Path, query and fragment set on a copy of the base: scheme and host are
    // not parsed and normalised again (a third of a whole-URL parse), and a
    // base's own query stays a query ("…/api?key=1" + "/things").
    QUrl url = m_baseUrl;
    QStringView rest(path);
    // Cuts what follows `mark` off `rest`; nullopt when there is no `mark`.
    auto cut = [&rest](QChar mark) -> std::optional<QStringView> {
        const qsizetype at = rest.indexOf(mark);
        if (at < 0)
            return std::nullopt;
        const QStringView tail = rest.sliced(at + 1);
        rest = rest.first(at);
        return tail;
    };
    const std::optional<QStringView> fragment = cut(QLatin1Char('#'));
    const std::optional<QStringView> query = cut(QLatin1Char('?'));
    QString fullPath = m_basePath;
    if (!rest.startsWith(QLatin1Char('/')))
        fullPath += QLatin1Char('/');
    fullPath += rest;
    url.setPath(fullPath, QUrl::TolerantMode);
    if (query)
        url.setQuery(m_baseQuery.isEmpty() ? query->toString() : m_baseQuery + QLatin1Char('&') + query->toString(),
                     QUrl::TolerantMode);
    if (fragment || url.hasFragment()) // a base's own fragment means nothing to a call
        url.setFragment(fragment ? fragment->toString() : QString(), QUrl::TolerantMode);
    return url;
}

QNetworkRequest RequestFactory::build(const QString &path, bool hasBody) const
{
    QNetworkRequest request = hasBody ? m_withBody : m_withoutBody;
    request.setUrl(urlFor(path));
    return request;
}

} // namespace headroom::http
