#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace headroom::sandbox {

// One answer of the sandbox, turned into HTTP/1.1 bytes by toBytes().
struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");

    static HttpResponse json(int status, const QJsonObject &body);

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const QByteArray &name) const; // case-insensitive
    QByteArray toBytes(bool keepAlive) const;

    static QByteArray reasonPhrase(int status);
};

} // namespace headroom::sandbox
