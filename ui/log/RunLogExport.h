#pragma once

#include <QString>

class QAbstractProxyModel;

namespace headroom::ui {

class RunLogModel;

// Writes the run log (or what a filter shows of it) as CSV or JSON Lines; the
// JSONL lines are the CLI's requests.jsonl lines, so tools read both alike.
class RunLogExport
{
public:
    enum class Format { Csv,
                        JsonLines };
    // `filter` may be null (everything); its source must be `log`.
    static bool write(const RunLogModel &log, const QAbstractProxyModel *filter, const QString &path, Format format,
                      QString *error);
};

} // namespace headroom::ui
