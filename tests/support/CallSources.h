#pragma once

// The engine's input built in memory, as if read from a file.
#include "core/imports/CallSource.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace headroom::testing {

inline std::unique_ptr<imports::CallSource> csvSource(const QByteArray &csv,
                                                      const QString &profile = QStringLiteral("customerio-track"))
{
    imports::CallSourceOptions options;
    options.profile = profile;
    options.bytes = csv;
    options.filePath = QStringLiteral("test.csv");
    options.format = imports::InputFormat::Csv;
    return std::make_unique<imports::CallSource>(options);
}

} // namespace headroom::testing
