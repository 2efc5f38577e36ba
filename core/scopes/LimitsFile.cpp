#include "core/scopes/LimitsFile.h"

#include "core/clock/DurationText.h"
#include "core/scopes/ScopeWindowText.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <chrono>
#include <cmath>

namespace headroom::scopes {

namespace {

constexpr Duration MaxPer = std::chrono::hours(24 * 366);

QString quoted(const QString &text)
{
    return QLatin1Char('"') + text + QLatin1Char('"');
}

bool isScopeName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,63}$"));
    return pattern.match(name).hasMatch();
}

bool isMethod(const QString &method)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z]{1,16}$"));
    return pattern.match(method).hasMatch();
}

} // namespace

LimitsResult LimitsFile::load(const QString &path, const QString &profile, const ScopeSet &base)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {base, {tr("%1: cannot be read: %2").arg(path, file.errorString())}};
    // Reads one byte past the bound so a larger file is refused without being read whole.
    const QByteArray json = file.read(MaxBytes + 1);
    if (json.size() > MaxBytes)
        return {base, {tr("%1: is larger than %2 bytes").arg(path).arg(MaxBytes)}};
    return parse(json, path, profile, base);
}

LimitsResult LimitsFile::parse(const QByteArray &json, const QString &fileName, const QString &profile,
                               const ScopeSet &base)
{
    if (json.size() > MaxBytes)
        return {base, {tr("%1: is larger than %2 bytes").arg(fileName).arg(MaxBytes)}};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // file:line:column, as an editor jumps to it.
        const QByteArray before = json.left(parseError.offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = before.size() - (before.lastIndexOf('\n') + 1) + 1;
        return {base, {tr("%1:%2:%3: is not JSON: %4").arg(fileName).arg(line).arg(column).arg(parseError.errorString())}};
    }
    if (!doc.isObject())
        return {base, {tr("%1: must be an object with \"scopes\"").arg(fileName)}};

    QStringList errors;
    const QJsonObject top = doc.object();
    for (auto it = top.begin(); it != top.end(); ++it) {
        if (it.key() != QLatin1String("profile") && it.key() != QLatin1String("scopes"))
            errors << tr("%1: unknown field %2").arg(fileName, quoted(it.key()));
    }
    if (top.contains(QLatin1String("profile"))) {
        const QJsonValue p = top.value(QLatin1String("profile"));
        if (!p.isString())
            errors << tr("%1: profile: must be a string").arg(fileName);
        else if (p.toString() != profile)
            errors << tr("%1: profile: is %2 but the run uses %3").arg(fileName, quoted(p.toString()), quoted(profile));
    }
    const QJsonValue scopesValue = top.value(QLatin1String("scopes"));
    if (!scopesValue.isArray()) {
        errors << tr("%1: scopes: must be an array of scopes").arg(fileName);
        return {base, errors};
    }
    const QJsonArray entries = scopesValue.toArray();
    if (entries.size() > MaxScopes) {
        errors << tr("%1: scopes: has %2 entries, at most %3").arg(fileName).arg(entries.size()).arg(MaxScopes);
        return {base, errors};
    }

    ScopeSet result = base;
    QHash<QString, int> seenAt;
    for (int i = 0; i < int(entries.size()); ++i) {
        QString where = tr("%1: scopes[%2]").arg(fileName).arg(i);
        const int errorsBefore = int(errors.size());
        auto error = [&errors, &where](const QString &field, const QString &problem) {
            errors << (field.isEmpty() ? where + QLatin1String(": ") + problem
                                       : where + QLatin1String(": ") + field + QLatin1String(": ") + problem);
        };
        if (!entries.at(i).isObject()) {
            error({}, tr("must be an object"));
            continue;
        }
        const QJsonObject entry = entries.at(i).toObject();

        const QJsonValue nameValue = entry.value(QLatin1String("name"));
        const QString name = nameValue.toString();
        if (nameValue.isUndefined()) {
            error(QStringLiteral("name"), tr("missing"));
        } else if (!nameValue.isString() || !isScopeName(name)) {
            error(QStringLiteral("name"),
                  tr("must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit"));
        } else {
            where += QLatin1Char(' ') + quoted(name);
            if (seenAt.contains(name))
                error(QStringLiteral("name"), tr("is given again after scopes[%1]").arg(seenAt.value(name)));
            else
                seenAt.insert(name, i);
        }
        for (auto it = entry.begin(); it != entry.end(); ++it) {
            static const QStringList known{QStringLiteral("name"), QStringLiteral("match"), QStringLiteral("key"),
                                           QStringLiteral("windows")};
            if (!known.contains(it.key()))
                error({}, tr("unknown field %1").arg(quoted(it.key())));
        }

        const bool isMain = name == ScopeSet::mainName();
        const ScopeSpec *existing = isScopeName(name) ? result.find(name) : nullptr;
        if (!entry.contains(QLatin1String("match")) && !entry.contains(QLatin1String("key"))
            && !entry.contains(QLatin1String("windows"))) {
            error({}, tr("gives none of match, key or windows"));
        }

        // The matcher: the file's, else the existing scope's.
        ScopeSpec::Reach reach = existing ? existing->reach() : ScopeSpec::Reach::Matching;
        QString method = existing ? existing->method() : QString();
        std::optional<PathTemplate> path = existing ? existing->pathTemplate() : std::nullopt;
        const QJsonValue matchValue = entry.value(QLatin1String("match"));
        if (matchValue.isUndefined()) {
            if (!existing && nameValue.isString() && isScopeName(name))
                error(QStringLiteral("match"), tr("missing: a new scope needs \"METHOD /path\", \"/path\" or \"*\""));
        } else if (!matchValue.isString()) {
            error(QStringLiteral("match"), tr("must be a string such as \"POST /v1/campaigns/{id}/triggers\""));
        } else {
            const QString text = matchValue.toString().trimmed();
            if (text == QLatin1String("*")) {
                reach = ScopeSpec::Reach::Every;
                method.clear();
                path.reset();
            } else if (text == QLatin1String("rest")) {
                if (isMain) {
                    reach = ScopeSpec::Reach::Unmatched;
                    method.clear();
                    path.reset();
                } else {
                    error(QStringLiteral("match"), tr("\"rest\" is for the main scope only"));
                }
            } else if (isMain) {
                error(QStringLiteral("match"), tr("the main scope takes \"*\" or \"rest\""));
            } else {
                const qsizetype space = text.indexOf(QLatin1Char(' '));
                const QString methodText = space < 0 ? QString() : text.left(space);
                const QString pathText = space < 0 ? text : text.mid(space + 1).trimmed();
                QString why;
                const std::optional<PathTemplate> parsed = PathTemplate::parse(pathText, &why);
                if (space >= 0 && !isMethod(methodText)) {
                    error(QStringLiteral("match"), tr("%1 is not an HTTP method").arg(quoted(methodText)));
                } else if (!parsed) {
                    error(QStringLiteral("match"), tr("%1: %2").arg(quoted(pathText), why));
                } else {
                    reach = ScopeSpec::Reach::Matching;
                    method = methodText.toUpper();
                    path = parsed;
                }
            }
        }

        QString key = existing ? existing->keyVariable() : QString();
        if (entry.contains(QLatin1String("match")) && !entry.contains(QLatin1String("key")))
            key.clear(); // a new matcher's variables are not the old one's
        const QJsonValue keyValue = entry.value(QLatin1String("key"));
        if (!keyValue.isUndefined()) {
            if (!keyValue.isString()) {
                error(QStringLiteral("key"), tr("must be the name of a path variable"));
            } else if (reach != ScopeSpec::Reach::Matching || !path) {
                error(QStringLiteral("key"), tr("needs a path with variables in match"));
            } else if (!path->variables().contains(keyValue.toString())) {
                error(QStringLiteral("key"), tr("%1 is not a variable of %2").arg(quoted(keyValue.toString()), path->text()));
            } else {
                key = keyValue.toString();
            }
        }

        QList<ScopeWindow> windows = existing ? existing->windows() : QList<ScopeWindow>();
        const QJsonValue windowsValue = entry.value(QLatin1String("windows"));
        if (windowsValue.isUndefined()) {
            if (!existing && nameValue.isString() && isScopeName(name))
                error(QStringLiteral("windows"), tr("missing: a new scope needs at least one window"));
        } else if (!windowsValue.isArray() || windowsValue.toArray().isEmpty()) {
            error(QStringLiteral("windows"), tr("must be a non-empty array of {\"limit\", \"per\"}"));
        } else if (windowsValue.toArray().size() > MaxWindows) {
            error(QStringLiteral("windows"),
                  tr("has %1 windows, at most %2").arg(windowsValue.toArray().size()).arg(MaxWindows));
        } else {
            windows.clear();
            const QJsonArray array = windowsValue.toArray();
            for (int w = 0; w < int(array.size()); ++w) {
                const QString field = QStringLiteral("windows[%1]").arg(w);
                if (!array.at(w).isObject()) {
                    error(field, tr("must be an object {\"limit\", \"per\"}"));
                    continue;
                }
                const QJsonObject window = array.at(w).toObject();
                for (auto it = window.begin(); it != window.end(); ++it) {
                    if (it.key() != QLatin1String("limit") && it.key() != QLatin1String("per"))
                        error(field, tr("unknown field %1").arg(quoted(it.key())));
                }
                const QJsonValue limitValue = window.value(QLatin1String("limit"));
                const double limit = limitValue.toDouble();
                const bool limitOk = limitValue.isDouble() && limit >= 1 && limit <= MaxLimit && limit == std::floor(limit);
                if (limitValue.isUndefined())
                    error(field + QLatin1String(".limit"), tr("missing"));
                else if (!limitOk)
                    error(field + QLatin1String(".limit"), tr("must be a whole number from 1 to %1").arg(MaxLimit));
                const QJsonValue perValue = window.value(QLatin1String("per"));
                const std::optional<Duration> per = perValue.isString() ? ScopeWindowText::parsePer(perValue.toString()) : std::nullopt;
                const bool perOk = per && *per > Duration::zero() && *per <= MaxPer;
                if (perValue.isUndefined())
                    error(field + QLatin1String(".per"), tr("missing"));
                else if (!perOk)
                    error(field + QLatin1String(".per"),
                          tr("must be a duration from 1ms to 366d such as \"1s\", \"10s\", \"1m\", \"1d\""));
                if (!limitOk || !perOk)
                    continue;
                for (const ScopeWindow &other : std::as_const(windows)) {
                    if (other.per == *per)
                        error(field + QLatin1String(".per"), tr("%1 is given twice").arg(perValue.toString()));
                }
                windows.append({int(limit), *per});
            }
        }

        if (int(errors.size()) != errorsBefore)
            continue;
        switch (reach) {
        case ScopeSpec::Reach::Every:
            result.insert(ScopeSpec::every(name, windows));
            break;
        case ScopeSpec::Reach::Unmatched:
            result.insert(ScopeSpec::unmatched(name, windows));
            break;
        case ScopeSpec::Reach::Matching:
            result.insert(ScopeSpec::matching(name, method, path.value_or(PathTemplate()), key, windows));
            break;
        }
    }
    if (!errors.isEmpty())
        return {base, errors};
    return {result, {}};
}

} // namespace headroom::scopes
