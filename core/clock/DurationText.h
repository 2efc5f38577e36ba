#pragma once

#include "core/clock/Clock.h"

#include <QString>

#include <optional>

namespace headroom {

// Durations as operators type them: "1s", "200ms", "10s", "1.5m", "2h", or a
// bare number of seconds. Used by the CLI flags, mapping files and settings.
class DurationText
{
public:
    static std::optional<Duration> parse(const QString &text);
    // The shortest exact spelling: "1s", "250ms", "1.5s".
    static QString format(Duration duration);
};

} // namespace headroom
