#pragma once

#include "core/imports/RowProblem.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace headroom::imports {

struct DuplicateId
{
    QByteArray key;
    qint64 row = 0;
    qint64 line = 0;
    qint64 firstRow = 0;
};

// What preflight found in a file, and how it prints (text for people, JSON
// for tools and the console).
struct PreflightReport
{
    QString file;
    QString profile;
    qint64 fileBytes = 0;
    qint64 rows = 0;
    qint64 goodRows = 0;
    qint64 badRows = 0;
    qint64 rejectedRows = 0;    // of badRows: break a documented payload rule
    QList<RowProblem> problems; // the first maxProblems
    qint64 duplicateIds = 0;
    QList<DuplicateId> duplicates;    // the first maxProblems
    QMap<QString, qint64> operations; // good rows per operation
    qint64 requestsUnbatched = 0;
    qint64 requestsBatched = 0;
    QString batchEndpoint; // empty when the profile has none
    double rate = 0;       // requests per window
    double windowSeconds = 1;
    std::optional<RowProblem> fatal; // the file could not be read at all

    double secondsFor(qint64 requests) const
    {
        return rate > 0 && windowSeconds > 0 ? double(requests) * windowSeconds / rate : 0.0;
    }
    QString toText() const;
    QByteArray toJson() const;
    static QString formatDuration(double seconds);
};

} // namespace headroom::imports
