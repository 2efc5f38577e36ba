#pragma once

#include <QString>

namespace headroom::ui {

// The sample import compiled into the console (resources/headroom.qrc), put
// on disk once so the engine's file readers can stream it like any file.
class BundledSample
{
public:
    // <AppDataLocation>/samples/customers.csv, written if missing; empty on failure.
    static QString path();
};

} // namespace headroom::ui
