#pragma once

#include "core/imports/Mapping.h"
#include "core/run/RunSettings.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace headroom::ui {

// What the console remembers between sessions, in QSettings under the build
// identity (organisation domain, application name): window layout, the last
// file and mapping, and each API profile's choices. RunSettings carry no
// secret by construction, so nothing here can leak a credential.
class ConsoleSettings
{
public:
    struct Values
    {
        QByteArray geometry;
        QByteArray windowState;
        QByteArray centreState; // the transfer list over the charts (QSplitter::saveState)
        QString file;
        QString currentProfile;
        QList<run::RunSettings> profiles;
        std::optional<imports::Mapping> mapping;
    };

    // Empty when nothing was saved yet: a fresh machine.
    static std::optional<Values> load();
    static void save(const Values &values);
    // The QSettings file, for tests that check what was written.
    static QString fileName();
};

} // namespace headroom::ui
