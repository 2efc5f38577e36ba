#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>

namespace headroom::imports {

// Appends JSON text to a byte buffer. Bodies are built by hand rather than
// through QJsonDocument because preflight and the run build one per row, and
// at 300,000 rows/s a document per row is the bottleneck.
class JsonText
{
public:
    // `utf8` must already be valid UTF-8 (readers check it).
    static void appendString(QByteArray &out, QByteArrayView utf8);
    static void appendValue(QByteArray &out, const QJsonValue &value);
    // Bytes of `utf8` once escaped as a JSON string, quotes included.
    static qsizetype stringSize(QByteArrayView utf8);
    // True when `text` is a JSON number (RFC 8259 grammar).
    static bool isNumber(QByteArrayView text);
};

} // namespace headroom::imports
