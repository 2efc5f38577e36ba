#include "core/text/EscapedText.h"

namespace headroom::text {

void EscapedText::appendEscaped(QByteArray &out, QByteArrayView utf8, bool escapeQuotes)
{
    // By hand: a QJsonDocument per string would be the run log's main cost on
    // the engine thread. Runs that need no escape go in whole rather than a
    // character at a time.
    static constexpr char kHex[] = "0123456789abcdef";
    qsizetype plain = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto u = static_cast<unsigned char>(utf8[i]);
        if (u >= 0x20 && (u != '"' || !escapeQuotes) && u != '\\')
            continue;
        out.append(utf8.sliced(plain, i - plain));
        plain = i + 1;
        switch (u) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        }
    }
    out.append(utf8.sliced(plain));
}

void EscapedText::appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    out += '"';
    appendEscaped(out, utf8, true);
    out += '"';
}

QString EscapedText::controlsEscaped(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    appendEscaped(out, utf8, false);
    return QString::fromUtf8(out);
}

} // namespace headroom::text
