#pragma once

#include <QString>
#include <QStringList>

namespace headroom::run {

// Exports the run log (requests.jsonl) to CSV for a spreadsheet: one row per
// attempt, a fixed header, absent values left empty. Runs after the run, so
// it costs the engine nothing.
class RunLogCsv
{
public:
    static QStringList columns();
    // Lines that are not JSON objects (a torn last line) are skipped.
    static bool convert(const QString &jsonlPath, const QString &csvPath, QString *error, qint64 *rows = nullptr);
};

} // namespace headroom::run
