#pragma once

#include <QByteArray>
#include <QString>

namespace headroom::imports {

// One bad or rejected row (or a file-level error when row is 0): where it is and
// what was expected there. The run journals it; preflight prints it.
struct RowProblem
{
    qint64 row = 0;  // data-row number (1-based, file order); 0 for a file-level error
    qint64 line = 0; // file line of the error (1-based); 0 when the file has no lines
    int column = 0;  // 1-based character column on that line; 0 when it does not apply
    QString file;
    QString message;          // what was found and what was expected
    QByteArray raw;           // the record's bytes, truncated to kRawLimit
    bool payloadRule = false; // broke one of the API's payload rules (sizes), not the file's shape

    static constexpr qsizetype kRawLimit = 1024;

    // "file:line:column: message" — the form compilers use, so editors can jump to it.
    QString toText() const
    {
        QString where = file;
        if (line > 0) {
            where += QLatin1Char(':') + QString::number(line);
            if (column > 0)
                where += QLatin1Char(':') + QString::number(column);
        }
        return where + QLatin1String(": ") + message;
    }
};

} // namespace headroom::imports
