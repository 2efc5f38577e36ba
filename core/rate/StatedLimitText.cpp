#include "core/rate/StatedLimitText.h"

#include <QRegularExpression>
#include <QString>

namespace headroom::rate {

namespace {

std::optional<Duration> unitLength(const QString &unit)
{
    using namespace std::chrono;
    if (unit == QLatin1String("ms") || unit.startsWith(QLatin1String("millisecond")))
        return milliseconds(1);
    if (unit == QLatin1String("s") || unit == QLatin1String("sec") || unit.startsWith(QLatin1String("second")))
        return seconds(1);
    if (unit == QLatin1String("m") || unit == QLatin1String("min") || unit.startsWith(QLatin1String("minute")))
        return minutes(1);
    if (unit == QLatin1String("h") || unit.startsWith(QLatin1String("hour")))
        return hours(1);
    if (unit == QLatin1String("d") || unit.startsWith(QLatin1String("day")))
        return hours(24);
    return std::nullopt;
}

} // namespace

std::optional<StatedLimit> StatedLimitText::find(const QByteArray &body)
{
    const QByteArray head = body.left(kMaxBytes);
    if (!head.contains("requests per") && !head.contains("request per"))
        return std::nullopt;
    static const QRegularExpression pattern(
        QStringLiteral("rate limited to (\\d{1,9}) requests? per (\\d{1,9})? ?(ms|milliseconds?|s|sec|seconds?|m|min|"
                       "minutes?|h|hours?|d|days?)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(head));
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 limit = match.captured(1).toLongLong();
    const qint64 count = match.captured(2).isEmpty() ? 1 : match.captured(2).toLongLong();
    const std::optional<Duration> unit = unitLength(match.captured(3).toLower());
    if (limit <= 0 || count <= 0 || !unit)
        return std::nullopt;
    // A window over a day is not a rate a lane paces to.
    if (*unit * count > std::chrono::hours(24) * 7)
        return std::nullopt;
    return StatedLimit{limit, *unit * count};
}

} // namespace headroom::rate
