#include "core/sandbox/RequestAuth.h"

namespace headroom::sandbox {

std::optional<RequestAuth::Basic> RequestAuth::basic(const HttpRequest &request)
{
    const QByteArray value = request.header("authorization").trimmed();
    if (!value.left(6).toLower().startsWith("basic "))
        return std::nullopt;
    const auto result = QByteArray::fromBase64Encoding(value.mid(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    const QByteArray &decoded = result.decoded;
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0)
        return std::nullopt;
    return Basic{QString::fromUtf8(decoded.left(colon)), QString::fromUtf8(decoded.mid(colon + 1))};
}

QString RequestAuth::bearer(const HttpRequest &request)
{
    const QByteArray value = request.header("authorization").trimmed();
    if (!value.left(7).toLower().startsWith("bearer "))
        return {};
    return QString::fromUtf8(value.mid(7).trimmed());
}

} // namespace headroom::sandbox
