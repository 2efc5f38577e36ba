#pragma once

// Readings of the sandbox's /_sandbox/stats document.
#include <QJsonObject>

#include <algorithm>

namespace headroom::testing {

// The most requests the sandbox counted in one window of any scope: what a
// client that respects the limit never pushes above the limit.
inline qint64 scopePeak(const QJsonObject &stats)
{
    qint64 peak = 0;
    const QJsonObject windows = stats.value(QStringLiteral("maxInWindow")).toObject();
    for (auto it = windows.begin(); it != windows.end(); ++it)
        peak = std::max(peak, qint64(it.value().toInteger()));
    return peak;
}

} // namespace headroom::testing
