#pragma once

#include "core/http/Credentials.h"

#include <QNetworkRequest>
#include <QUrl>

namespace headroom::http {

// Turns (method, path, body) of one API call into a QNetworkRequest against a
// base URL, with auth, content type and user agent. The only place an
// Authorization header is set. No QNetworkRequest transfer timeout: Qt 6.4
// re-arms it through a queued, string-based invokeMethod on every progress
// signal, a metatype lookup per signal on every request; the Dispatcher keeps
// one deadline per attempt instead.
class RequestFactory
{
public:
    RequestFactory() = default;
    RequestFactory(QUrl baseUrl, Credentials credentials);

    // `path` is already percent-encoded and relative to the base URL's path.
    // A path refused by refusalFor() gets a request with no URL, which QNAM
    // fails without sending: nothing leaves for an address outside the base.
    QNetworkRequest build(const QString &path, bool hasBody) const;
    QUrl urlFor(const QString &path) const;
    // Why the URL for `path` would not stay under the base path (a "." or
    // ".." segment, in any spelling, that Qt or the server resolves away);
    // empty when it does. The run checks each call with it before sending.
    QString refusalFor(const QString &path) const;

    const QUrl &baseUrl() const { return m_baseUrl; }
    const Credentials &credentials() const { return m_credentials; }

private:
    QString refusalFor(const QString &path, const QUrl &url) const;

    QUrl m_baseUrl;
    QString m_basePath;  // encoded, without a trailing slash
    QString m_baseQuery; // encoded; kept before a call's own query
    Credentials m_credentials;
    // Headers and attributes are the same for every request of a lane; a copy
    // of these shares them, so a build only sets the URL (QNetworkRequest's
    // setHeader goes through QVariant and re-parses).
    QNetworkRequest m_withBody;
    QNetworkRequest m_withoutBody;
};

} // namespace headroom::http
