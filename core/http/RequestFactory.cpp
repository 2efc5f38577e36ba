#include "core/http/RequestFactory.h"

#include "core/version/Version.h"

#include <QCoreApplication>

#include <optional>

namespace headroom::http {

namespace {

// ".", ".." and their percent-encoded spellings.
bool isDotSegment(QStringView segment)
{
    qsizetype dots = 0;
    for (qsizetype i = 0; i < segment.size(); ++dots) {
        if (segment.at(i) == QLatin1Char('.'))
            i += 1;
        else if (segment.sliced(i).startsWith(QLatin1String("%2e"), Qt::CaseInsensitive))
            i += 3;
        else
            return false;
    }
    return dots == 1 || dots == 2;
}

// Any segment before the query, "/" or "\\" between them (some servers read a
// backslash as a slash). A scan, no allocation: it runs for every request.
bool hasDotSegment(QStringView path)
{
    qsizetype start = 0;
    for (qsizetype i = 0; i <= path.size(); ++i) {
        const bool end = i == path.size() || path.at(i) == QLatin1Char('?') || path.at(i) == QLatin1Char('#');
        if (end || path.at(i) == QLatin1Char('/') || path.at(i) == QLatin1Char('\\')) {
            if (isDotSegment(path.sliced(start, i - start)))
                return true;
            if (end)
                return false;
            start = i + 1;
        }
    }
    return false;
}

} // namespace

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

QString RequestFactory::refusalFor(const QString &path) const
{
    return refusalFor(path, urlFor(path));
}

QString RequestFactory::refusalFor(const QString &path, const QUrl &url) const
{
    const QString finalPath = url.path(QUrl::FullyEncoded);
    const bool underBase = finalPath == m_basePath || m_basePath.isEmpty()
                           || (finalPath.startsWith(m_basePath) && finalPath.at(m_basePath.size()) == QLatin1Char('/'));
    const bool sameOrigin = url.scheme() == m_baseUrl.scheme() && url.host() == m_baseUrl.host()
                            && url.port() == m_baseUrl.port() && url.userInfo().isEmpty();
    if (underBase && sameOrigin && !hasDotSegment(finalPath) && !hasDotSegment(path))
        return {};
    return QCoreApplication::translate("RequestFactory",
                                       "refused before sending: path '%1' would leave the base path '%2' of %3 "
                                       "(a '.' or '..' segment)")
        .arg(path, m_basePath.isEmpty() ? QStringLiteral("/") : m_basePath, m_baseUrl.host());
}

QNetworkRequest RequestFactory::build(const QString &path, bool hasBody) const
{
    QNetworkRequest request = hasBody ? m_withBody : m_withoutBody;
    // The run refuses such a call before it gets here; this is the last line.
    QUrl url = urlFor(path);
    if (!refusalFor(path, url).isEmpty())
        return request;
    request.setUrl(std::move(url));
    return request;
}

} // namespace headroom::http
