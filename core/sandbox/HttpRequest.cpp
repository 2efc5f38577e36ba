#include "core/sandbox/HttpRequest.h"

namespace headroom::sandbox {

QByteArray HttpRequest::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

bool HttpRequest::hasHeader(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return true;
    }
    return false;
}

QByteArray HttpRequest::queryValue(const QByteArray &name) const
{
    const QList<QByteArray> pairs = query.split('&');
    for (const QByteArray &pair : pairs) {
        const qsizetype eq = pair.indexOf('=');
        const QByteArray key = eq < 0 ? pair : pair.left(eq);
        if (QByteArray::fromPercentEncoding(key) == name)
            return eq < 0 ? QByteArray() : QByteArray::fromPercentEncoding(pair.mid(eq + 1).replace('+', ' '));
    }
    return {};
}

} // namespace headroom::sandbox
