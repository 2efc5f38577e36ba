#pragma once

#include "core/transfers/TransferEntry.h"

#include <QList>
#include <QString>

#include <optional>

namespace headroom::transfers {

// The transfer list as a small JSON file (in the console's data directory),
// so the list survives a restart. An import that was under way when the file
// was written comes back Stopped: its run ended with the process, and its
// journal lets it continue through the same resume as `headroom-cli resume`.
class TransferListFile
{
public:
    struct Contents
    {
        QList<TransferEntry> entries;
        int maxActive = 1;
    };

    static QByteArray toJson(const Contents &contents);
    // Entries that cannot be read are skipped with a warning in `warnings`.
    static std::optional<Contents> fromJson(const QByteArray &json, QString *error, QStringList *warnings = nullptr);

    static bool save(const QString &path, const Contents &contents, QString *error);
    // A missing file is an empty list.
    static std::optional<Contents> load(const QString &path, QString *error, QStringList *warnings = nullptr);
};

} // namespace headroom::transfers
