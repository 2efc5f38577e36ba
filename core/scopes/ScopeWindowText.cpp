#include "core/scopes/ScopeWindowText.h"

#include "core/clock/DurationText.h"

#include <QCoreApplication>
#include <QStringList>

#include <cmath>

namespace headroom::scopes {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("scopes", text);
}

} // namespace

std::optional<Duration> ScopeWindowText::parsePer(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t.endsWith(QLatin1Char('d'))) {
        bool ok = false;
        const double days = t.chopped(1).toDouble(&ok);
        if (!ok || !std::isfinite(days) || days < 0 || days > 366)
            return std::nullopt;
        return Duration(qint64(std::llround(days * 86400e9)));
    }
    return DurationText::parse(t);
}

QString ScopeWindowText::format(const QList<ScopeWindow> &windows)
{
    QStringList parts;
    for (const ScopeWindow &w : windows) {
        const bool days = w.per >= std::chrono::hours(24) && w.per % std::chrono::hours(24) == Duration::zero();
        const QString per = days ? QString::number(w.per / std::chrono::hours(24)) + QLatin1Char('d') : DurationText::format(w.per);
        parts << QStringLiteral("%1 per %2").arg(w.limit).arg(per);
    }
    return parts.join(QStringLiteral(", "));
}

std::optional<QList<ScopeWindow>> ScopeWindowText::parse(const QString &text, QString *error)
{
    QList<ScopeWindow> windows;
    QStringList problems;
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QStringList words = part.simplified().split(QLatin1Char(' '));
        bool ok = false;
        const int limit = words.value(0).toInt(&ok);
        const std::optional<Duration> per = words.size() == 3 ? parsePer(words.at(2)) : std::nullopt;
        if (words.size() != 3 || !ok || limit < 1 || words.at(1) != QLatin1String("per") || !per || *per <= Duration::zero()) {
            problems << tr("'%1' is not \"N per DURATION\" (e.g. 10 per 1s)").arg(part.trimmed());
            continue;
        }
        windows.append({limit, *per});
    }
    if (windows.isEmpty() && problems.isEmpty())
        problems << tr("no window: give \"N per DURATION\" (e.g. 10 per 1s)");
    if (!problems.isEmpty()) {
        if (error)
            *error = problems.join(QStringLiteral("; "));
        return std::nullopt;
    }
    return windows;
}

} // namespace headroom::scopes
