#include "core/clock/DurationText.h"

#include <cmath>

namespace headroom {

std::optional<Duration> DurationText::parse(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t.isEmpty())
        return std::nullopt;
    qsizetype unitAt = t.size();
    while (unitAt > 0 && t.at(unitAt - 1).isLetter())
        --unitAt;
    const QString number = t.left(unitAt);
    const QString unit = t.mid(unitAt);
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0)
        return std::nullopt;
    double nanosPerUnit = 0;
    if (unit.isEmpty() || unit == QLatin1String("s") || unit == QLatin1String("sec"))
        nanosPerUnit = 1e9;
    else if (unit == QLatin1String("ms"))
        nanosPerUnit = 1e6;
    else if (unit == QLatin1String("us"))
        nanosPerUnit = 1e3;
    else if (unit == QLatin1String("m") || unit == QLatin1String("min"))
        nanosPerUnit = 60e9;
    else if (unit == QLatin1String("h"))
        nanosPerUnit = 3600e9;
    else
        return std::nullopt;
    const double nanos = value * nanosPerUnit;
    if (nanos > 1e18) // ~31 years: surely a typo
        return std::nullopt;
    return Duration(qint64(std::llround(nanos)));
}

QString DurationText::format(Duration duration)
{
    const qint64 ns = duration.count();
    if (ns % 1000000000 == 0)
        return QString::number(ns / 1000000000) + QLatin1String("s");
    if (ns % 1000000 == 0 && ns < 1000000000)
        return QString::number(ns / 1000000) + QLatin1String("ms");
    return QString::number(double(ns) / 1e9, 'g', 6) + QLatin1String("s");
}

} // namespace headroom
