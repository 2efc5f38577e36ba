#pragma once

#include "core/imports/Mapping.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace headroom::imports {

// A column's text as the JSON value its mapped type says (string, number,
// boolean, timestamp), and the wording of what is wrong with it. Pure.
class TypedValue
{
public:
    // Appends `text` as JSON of `type` to `out`; otherwise says why it is
    // not one, naming column `name`. `isoTimestamps`: timestamps as ISO 8601
    // strings (Segment), else epoch seconds (Customer.io).
    static QString append(QByteArrayView text, ColumnType type, const QByteArray &name, bool isoTimestamps,
                          QByteArray &out);
    // An ISO 8601 date (no offset: UTC) or epoch seconds / milliseconds.
    static bool appendTimestamp(QByteArrayView text, bool isoTimestamps, QByteArray &out);

    // Without surrounding blanks and tabs.
    static QByteArrayView trimmed(QByteArrayView v);
    // A value quoted for a message, cut after 60 bytes.
    static QString quoted(QByteArrayView text);
};

} // namespace headroom::imports
