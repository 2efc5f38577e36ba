#pragma once

#include "core/run/RunObserver.h"

#include <QList>
#include <QString>

#include <optional>

namespace headroom::run {

// Makes a dead-letter file importable again: each line that carries a request
// becomes a plain request-file line ({"method","path","body"}) that the
// "generic" reader sends as is — through the lane of the profile the operator
// names or of the run the file came from (auth and limits), so the file needs
// no mapping. The file is not trusted: its lines never choose the profile,
// and a line whose method and path are not a call of that profile refuses the
// whole re-drive. Lines of rows rejected before sending have no request; they
// are counted, not sent (fix the original row instead).
class DeadLetterRequests
{
public:
    struct Result
    {
        QString profile;       // the profile the requests were checked against
        qint64 requests = 0;   // lines written
        qint64 unsendable = 0; // dead letters without a request
    };

    // When the file's first non-empty line is a dead letter: the profile it
    // names (may be empty; shown, never used to send). nullopt: not a dead-letter file.
    static std::optional<QString> profileOf(const QString &path);
    // The profile of the run whose directory holds `path` (its run.json):
    // what a re-drive runs under when the operator names none. Empty when
    // the file is not in a run directory.
    static QString runProfileOf(const QString &path);
    // Writes the requests of `inPath` to `outPath`, each checked to be a call
    // of `profile`; the first that is not stops it with file:line in `error`.
    static std::optional<Result> convert(const QString &inPath, const QString &outPath, const QString &profile,
                                         QString *error);

    // A dead-letter file read back as the run reported it, one entry per line
    // (to list them with their reasons before a re-drive); at most `limit`
    // entries are kept, `total` counts them all.
    struct Listing
    {
        QString profile; // of the run the file is in (runProfileOf), not of its lines
        QList<FailedRows> letters;
        qint64 total = 0;
        qint64 unsendable = 0; // rejected before sending: no request to re-drive
    };
    static std::optional<Listing> list(const QString &path, QString *error, qsizetype limit = 100000);
};

} // namespace headroom::run
