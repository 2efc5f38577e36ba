#include "core/scopes/PathTemplate.h"

#include <QByteArray>
#include <QRegularExpression>

namespace headroom::scopes {

namespace {

QString decoded(const QString &segment)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(segment.toUtf8()));
}

bool isDotSegment(const QString &segment)
{
    return segment == QLatin1String(".") || segment == QLatin1String("..");
}

bool isVariableName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        const bool letter = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
                            || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_');
        const bool digit = c >= QLatin1Char('0') && c <= QLatin1Char('9');
        if (!letter && !(digit && i > 0))
            return false;
    }
    return true;
}

// Splits "/a/b/" into {"a", "b"}; "/" into {}. Empty segments inside are kept.
QStringList rawSegments(QString path)
{
    if (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path == QLatin1String("/"))
        return {};
    return path.mid(1).split(QLatin1Char('/'));
}

} // namespace

std::optional<PathTemplate> PathTemplate::parse(const QString &text, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<PathTemplate> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!text.startsWith(QLatin1Char('/')))
        return fail(tr("a path template starts with '/'"));
    if (text.contains(QLatin1Char('?')) || text.contains(QLatin1Char('#')))
        return fail(tr("a path template has no query or fragment"));
    PathTemplate result;
    result.m_text = text;
    for (const QString &raw : rawSegments(text)) {
        if (raw.isEmpty())
            return fail(tr("a path template has no empty segment"));
        if (raw.startsWith(QLatin1Char('{')) && raw.endsWith(QLatin1Char('}'))) {
            const QString name = raw.mid(1, raw.size() - 2);
            if (!isVariableName(name))
                return fail(tr("\"%1\" is not a variable name (letters, digits, '_')").arg(name));
            if (result.variables().contains(name))
                return fail(tr("variable \"%1\" appears twice").arg(name));
            result.m_segments.append({{}, name});
            continue;
        }
        if (raw.contains(QLatin1Char('{')) || raw.contains(QLatin1Char('}')))
            return fail(tr("a variable is a whole segment, as in /{id}/"));
        const QString literal = decoded(raw);
        if (isDotSegment(literal))
            return fail(tr("a path template has no '.' or '..' segment"));
        result.m_segments.append({literal, {}});
    }
    return result;
}

std::optional<QStringList> PathTemplate::pathSegments(const QString &path)
{
    QString p = path;
    const qsizetype cut = p.indexOf(QRegularExpression(QStringLiteral("[?#]")));
    if (cut >= 0)
        p.truncate(cut);
    if (!p.startsWith(QLatin1Char('/')))
        return std::nullopt;
    QStringList out;
    for (const QString &raw : rawSegments(p)) {
        const QString segment = decoded(raw);
        if (isDotSegment(segment))
            return std::nullopt;
        out << segment;
    }
    return out;
}

QStringList PathTemplate::variables() const
{
    QStringList out;
    for (const Segment &s : m_segments) {
        if (!s.variable.isEmpty())
            out << s.variable;
    }
    return out;
}

std::optional<PathTemplate::Bindings> PathTemplate::match(const QString &path) const
{
    const std::optional<QStringList> segments = pathSegments(path);
    if (!segments || segments->size() != m_segments.size())
        return std::nullopt;
    Bindings bindings;
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        const Segment &want = m_segments.at(i);
        const QString &got = segments->at(i);
        if (want.variable.isEmpty()) {
            if (got != want.literal)
                return std::nullopt;
        } else {
            if (got.isEmpty())
                return std::nullopt;
            bindings.insert(want.variable, got);
        }
    }
    return bindings;
}

} // namespace headroom::scopes
