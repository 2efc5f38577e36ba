#include "core/rate/HttpDate.h"

#include <QByteArray>
#include <QList>

#include <array>

namespace headroom::rate {

namespace {

int monthFromName(QByteArrayView name)
{
    static constexpr std::array<const char *, 12> names{
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (name.size() != 3)
        return 0;
    const QByteArray lower = name.toByteArray().toLower();
    for (int i = 0; i < 12; ++i) {
        if (lower == names[size_t(i)])
            return i + 1;
    }
    return 0;
}

bool isWeekday(QByteArrayView name)
{
    static constexpr std::array<const char *, 7> shortNames{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static constexpr std::array<const char *, 7> longNames{
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    const QByteArray lower = name.toByteArray().toLower();
    for (size_t i = 0; i < 7; ++i) {
        if (lower == shortNames[i] || lower == longNames[i])
            return true;
    }
    return false;
}

bool allDigits(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

int toSmallInt(QByteArrayView s) // caller checked allDigits and a short length
{
    int v = 0;
    for (char c : s)
        v = v * 10 + (c - '0');
    return v;
}

// hh:mm[:ss]
bool parseTime(QByteArrayView s, int &h, int &m, int &sec)
{
    const QList<QByteArray> parts = s.toByteArray().split(':');
    if (parts.size() < 2 || parts.size() > 3)
        return false;
    for (const QByteArray &p : parts) {
        if (!allDigits(p) || p.size() > 2)
            return false;
    }
    h = toSmallInt(parts[0]);
    m = toSmallInt(parts[1]);
    sec = parts.size() == 3 ? toSmallInt(parts[2]) : 0;
    if (sec == 60)
        sec = 59; // a leap second; one second early is harmless for a wait
    return h <= 23 && m <= 59 && sec <= 59;
}

// Zone offset in minutes east of UTC; false if not a zone we accept.
bool parseZone(QByteArrayView s, int &offsetMinutes)
{
    const QByteArray upper = s.toByteArray().toUpper();
    if (upper == "GMT" || upper == "UTC" || upper == "UT" || upper == "Z") {
        offsetMinutes = 0;
        return true;
    }
    if (upper.size() == 5 && (upper[0] == '+' || upper[0] == '-') && allDigits(upper.mid(1))) {
        const int hh = toSmallInt(upper.mid(1, 2));
        const int mm = toSmallInt(upper.mid(3, 2));
        if (hh > 23 || mm > 59)
            return false;
        offsetMinutes = (hh * 60 + mm) * (upper[0] == '-' ? -1 : 1);
        return true;
    }
    return false;
}

} // namespace

std::optional<WallTime> HttpDate::parse(QByteArrayView text)
{
    if (text.size() > 64)
        return std::nullopt;

    // Split on blanks and commas; RFC 850's "06-Nov-94" is split on '-' below.
    QList<QByteArray> tokens;
    QByteArray current;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == ',') {
            if (!current.isEmpty())
                tokens.append(current);
            current.clear();
        } else {
            current.append(c);
        }
    }
    if (!current.isEmpty())
        tokens.append(current);

    int day = -1, month = 0, year = -1, hour = -1, minute = 0, second = 0, zone = 0;
    bool haveZone = false;
    bool weekdaySeen = false;

    auto takeNumber = [&](QByteArrayView t) -> bool {
        if (!allDigits(t) || t.size() > 4)
            return false;
        const int v = toSmallInt(t);
        if (t.size() == 4) {
            if (year >= 0)
                return false;
            year = v;
        } else if (t.size() <= 2 && day < 0) {
            day = v;
        } else if (t.size() == 2 && year < 0) {
            year = v < 70 ? 2000 + v : 1900 + v; // RFC 9110: two-digit years of RFC 850
        } else {
            return false;
        }
        return true;
    };

    for (const QByteArray &token : std::as_const(tokens)) {
        if (token.contains(':')) {
            if (hour >= 0 || !parseTime(token, hour, minute, second))
                return std::nullopt;
        } else if (allDigits(token)) {
            if (!takeNumber(token))
                return std::nullopt;
        } else if (token.count('-') == 2 && token[0] != '-') { // 06-Nov-94
            const QList<QByteArray> parts = token.split('-');
            if (!takeNumber(parts[0]) || month != 0 || (month = monthFromName(parts[1])) == 0
                || !takeNumber(parts[2]))
                return std::nullopt;
        } else if (const int m = monthFromName(token); m != 0) {
            if (month != 0)
                return std::nullopt;
            month = m;
        } else if (isWeekday(token)) {
            if (weekdaySeen || day >= 0 || month != 0)
                return std::nullopt;
            weekdaySeen = true;
        } else if (parseZone(token, zone)) {
            if (haveZone)
                return std::nullopt;
            haveZone = true;
        } else {
            return std::nullopt;
        }
    }

    if (day < 1 || month == 0 || year < 1900 || year > 9999 || hour < 0)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                          std::chrono::day{unsigned(day)}};
    if (!ymd.ok())
        return std::nullopt;
    const auto days = std::chrono::sys_days{ymd};
    const auto utc = days + std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second}
                     - std::chrono::minutes{zone};
    return std::chrono::time_point_cast<WallTime::duration>(utc);
}

} // namespace headroom::rate
