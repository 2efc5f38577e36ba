#pragma once

#include "core/state/AcceptedStore.h"

#include <QList>
#include <QString>

#include <optional>

namespace headroom::state {

// The stores in a state directory, for `headroom-cli state`: each with what
// it holds, or why it cannot be read.
class StateDirectory
{
public:
    struct Listing
    {
        QString path;
        QString id;                                    // the file's name without .sqlite
        std::optional<AcceptedStore::Summary> summary; // empty: see error
        QString error;
    };

    explicit StateDirectory(QString directory);

    QString path() const { return m_directory; }
    QList<Listing> list() const;
    // The store of a destination named by its id (as listed) or by its
    // description ("customerio-track 127.0.0.1/customerio-track site:x").
    std::optional<Listing> find(const QString &destination, QString *error) const;

private:
    QString m_directory;
};

} // namespace headroom::state
