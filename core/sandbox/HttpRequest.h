#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace headroom::sandbox {

// One parsed HTTP/1.1 request as the sandbox's own server received it.
struct HttpRequest
{
    QByteArray method;                            // "GET", "PUT", ...
    QByteArray path;                              // still percent-encoded, no query
    QByteArray query;                             // after '?', without it
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;
    bool keepAlive = true;

    // Value of the first header of that (lower-case) name; empty when absent.
    QByteArray header(const QByteArray &lowerName) const;
    bool hasHeader(const QByteArray &lowerName) const;
    // Decoded value of a query parameter; empty when absent.
    QByteArray queryValue(const QByteArray &name) const;
};

} // namespace headroom::sandbox
