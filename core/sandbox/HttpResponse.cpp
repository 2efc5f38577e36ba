#include "core/sandbox/HttpResponse.h"

#include <QJsonDocument>

namespace headroom::sandbox {

HttpResponse HttpResponse::json(int status, const QJsonObject &body)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QByteArray HttpResponse::reasonPhrase(int status)
{
    switch (status) {
    case 100: return QByteArrayLiteral("Continue");
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 204: return QByteArrayLiteral("No Content");
    case 207: return QByteArrayLiteral("Multi-Status");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 413: return QByteArrayLiteral("Payload Too Large");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 431: return QByteArrayLiteral("Request Header Fields Too Large");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 501: return QByteArrayLiteral("Not Implemented");
    case 502: return QByteArrayLiteral("Bad Gateway");
    case 503: return QByteArrayLiteral("Service Unavailable");
    case 504: return QByteArrayLiteral("Gateway Timeout");
    default: return QByteArrayLiteral("Status");
    }
}

QByteArray HttpResponse::toBytes(bool keepAlive) const
{
    QByteArray out;
    out.reserve(160 + body.size() + headers.size() * 40);
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\nContent-Length: ";
    out += QByteArray::number(body.size());
    if (!contentType.isEmpty() && !body.isEmpty()) {
        out += "\r\nContent-Type: ";
        out += contentType;
    }
    out += keepAlive ? "\r\nConnection: keep-alive" : "\r\nConnection: close";
    for (const auto &h : headers) {
        out += "\r\n";
        out += h.first;
        out += ": ";
        out += h.second;
    }
    out += "\r\n\r\n";
    out += body;
    return out;
}

} // namespace headroom::sandbox
