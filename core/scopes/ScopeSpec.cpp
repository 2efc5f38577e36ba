#include "core/scopes/ScopeSpec.h"

#include <QUrl>

namespace headroom::scopes {

ScopeSpec ScopeSpec::matching(const QString &name, const QString &method, const PathTemplate &path,
                              const QString &keyVariable, const QList<ScopeWindow> &windows)
{
    ScopeSpec s;
    s.m_name = name;
    s.m_reach = Reach::Matching;
    s.m_method = method.toUpper();
    s.m_path = path;
    s.m_keyVariable = keyVariable;
    s.m_windows = windows;
    return s;
}

ScopeSpec ScopeSpec::every(const QString &name, const QList<ScopeWindow> &windows)
{
    ScopeSpec s;
    s.m_name = name;
    s.m_reach = Reach::Every;
    s.m_windows = windows;
    return s;
}

ScopeSpec ScopeSpec::unmatched(const QString &name, const QList<ScopeWindow> &windows)
{
    ScopeSpec s;
    s.m_name = name;
    s.m_reach = Reach::Unmatched;
    s.m_windows = windows;
    return s;
}

std::optional<QString> ScopeSpec::keyFor(const QString &method, const QString &path) const
{
    switch (m_reach) {
    case Reach::Every:
        return m_name;
    case Reach::Unmatched:
        return std::nullopt;
    case Reach::Matching:
        break;
    }
    // HTTP methods are case-sensitive, but a request file's "post" means POST.
    if (!m_method.isEmpty() && method.toUpper() != m_method)
        return std::nullopt;
    const std::optional<PathTemplate::Bindings> bindings = m_path ? m_path->match(path) : std::nullopt;
    if (!bindings)
        return std::nullopt;
    if (m_keyVariable.isEmpty())
        return m_name;
    const QString value = QString::fromLatin1(QUrl::toPercentEncoding(bindings->value(m_keyVariable)));
    return m_name + QLatin1Char(':') + m_keyVariable + QLatin1Char('=') + value;
}

QString ScopeSpec::matchText() const
{
    switch (m_reach) {
    case Reach::Every:
        return QStringLiteral("*");
    case Reach::Unmatched:
        return QStringLiteral("rest");
    case Reach::Matching:
        break;
    }
    const QString path = m_path ? m_path->text() : QString();
    return m_method.isEmpty() ? path : m_method + QLatin1Char(' ') + path;
}

} // namespace headroom::scopes
