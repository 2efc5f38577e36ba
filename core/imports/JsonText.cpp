#include "core/imports/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace headroom::imports {

namespace {

// 0: copy; 1: short escape; 2: \u00XX.
constexpr unsigned char escapeKind(unsigned char c)
{
    if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f')
        return 1;
    return c < 0x20 ? 2 : 0;
}

} // namespace

void JsonText::appendString(QByteArray &out, QByteArrayView utf8)
{
    out.append('"');
    const char *p = utf8.data();
    const qsizetype n = utf8.size();
    qsizetype run = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        const unsigned char kind = escapeKind(c);
        if (kind == 0)
            continue;
        out.append(p + run, i - run);
        run = i + 1;
        if (kind == 1) {
            char e = char(c);
            switch (c) {
            case '\n': e = 'n'; break;
            case '\r': e = 'r'; break;
            case '\t': e = 't'; break;
            case '\b': e = 'b'; break;
            case '\f': e = 'f'; break;
            default: break;
            }
            out.append('\\');
            out.append(e);
        } else {
            static const char hex[] = "0123456789abcdef";
            const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(u, 6);
        }
    }
    out.append(p + run, n - run);
    out.append('"');
}

qsizetype JsonText::stringSize(QByteArrayView utf8)
{
    qsizetype size = utf8.size() + 2;
    for (const char ch : utf8) {
        const unsigned char kind = escapeKind(static_cast<unsigned char>(ch));
        size += kind == 1 ? 1 : kind == 2 ? 5
                                          : 0;
    }
    return size;
}

void JsonText::appendValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.append("null");
        break;
    case QJsonValue::Bool:
        out.append(value.toBool() ? "true" : "false");
        break;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (!std::isfinite(d))
            out.append("null");
        else if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
            out.append(QByteArray::number(qint64(d)));
        else
            out.append(QByteArray::number(d, 'g', 17));
        break;
    }
    case QJsonValue::String:
        appendString(out, value.toString().toUtf8());
        break;
    case QJsonValue::Array:
        out.append(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        break;
    case QJsonValue::Object:
        out.append(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        break;
    }
}

bool JsonText::isNumber(QByteArrayView t)
{
    qsizetype i = 0;
    const qsizetype n = t.size();
    auto digit = [&](qsizetype k) { return k < n && t[k] >= '0' && t[k] <= '9'; };
    if (i < n && t[i] == '-')
        ++i;
    if (!digit(i))
        return false;
    if (t[i] == '0') {
        ++i;
    } else {
        while (digit(i))
            ++i;
    }
    if (i < n && t[i] == '.') {
        ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    return i == n;
}

} // namespace headroom::imports
