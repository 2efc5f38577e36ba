#include "core/state/StateDirectory.h"

#include "core/state/StateLocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace headroom::state {

StateDirectory::StateDirectory(QString directory)
    : m_directory(std::move(directory))
{
}

QList<StateDirectory::Listing> StateDirectory::list() const
{
    QList<Listing> out;
    const QFileInfoList files = QDir(m_directory).entryInfoList({QLatin1Char('*') + StateLocation::fileSuffix()}, QDir::Files | QDir::System, QDir::Name);
    for (const QFileInfo &file : files) {
        Listing listing;
        listing.path = file.absoluteFilePath();
        listing.id = file.completeBaseName();
        AcceptedStore store(listing.path);
        if (store.open({}, AcceptedStore::OpenMode::Existing, &listing.error))
            listing.summary = store.summary(&listing.error);
        out.append(listing);
    }
    return out;
}

std::optional<StateDirectory::Listing> StateDirectory::find(const QString &destination, QString *error) const
{
    const QString wanted = destination.simplified();
    for (const Listing &listing : list()) {
        if (listing.id == wanted)
            return listing;
        if (listing.summary && StateLocation::describe(listing.summary->destination) == wanted)
            return listing;
    }
    *error = QCoreApplication::translate("state", "no state store for '%1' in %2 (headroom-cli state list shows them)")
                 .arg(destination, m_directory);
    return std::nullopt;
}

} // namespace headroom::state
