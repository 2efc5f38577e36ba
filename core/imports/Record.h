#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>

namespace headroom::imports {

// One record as a reader yields it: a CSV row's fields (views into the file's
// bytes where no unescaping is needed, so a row costs no allocation)
// or a JSON object, with its data-row number and the line where it starts.
struct Record
{
    qint64 row = 0;
    qint64 line = 0;

    // CSV: each field views either the file's bytes (unquoted fields) or the
    // unescaped copy in `data` (quoted fields). Valid until the next read.
    QList<QByteArrayView> fields;
    QByteArray data;
    // JSONL / JSON array / request files.
    QJsonObject object;
    bool isJson = false;

    QByteArrayView raw; // the record's bytes in the file; valid until the next read

    int fieldCount() const { return int(fields.size()); }
    QByteArrayView field(int i) const { return fields.at(i); }
};

} // namespace headroom::imports
