#pragma once

#include "core/run/RowRangeSet.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace headroom::run {

// Reads a run journal back into what a resume needs: which rows are finished
// (done or dead-lettered: skip them) and which were sent but never finished
// (in flight when the run died: they are sent again, at least once). A torn
// last record — the process died mid-write — is ignored; so is any damaged
// record, which can only make the resume send a row again, never lose one.
struct JournalReplay
{
    RowRangeSet sent;
    RowRangeSet done;
    RowRangeSet failed;
    qint64 records = 0;     // intact records read
    qint64 badRecords = 0;  // complete lines that failed their CRC or format
    bool tornTail = false;  // the bytes end inside a record
    qint64 intactBytes = 0; // length of the prefix ending with the last whole line

    bool isFinished(qint64 row) const { return done.contains(row) || failed.contains(row); }
    // Sent, never finished: what a resume sends again.
    RowRangeSet unfinished() const;

    static JournalReplay replay(QByteArrayView bytes);
    // A missing file is an empty journal; an unreadable one is an error.
    static std::optional<JournalReplay> readFile(const QString &path, QString *error);
};

} // namespace headroom::run
