#include "core/scopes/ScopeSet.h"

namespace headroom::scopes {

ScopeSet::ScopeSet()
{
    m_scopes.append(ScopeSpec::unmatched(mainName(), {}));
}

const ScopeSpec *ScopeSet::find(const QString &name) const
{
    for (const ScopeSpec &s : m_scopes) {
        if (s.name() == name)
            return &s;
    }
    return nullptr;
}

const ScopeSpec &ScopeSet::main() const
{
    return m_scopes.first();
}

void ScopeSet::insert(const ScopeSpec &scope)
{
    if (scope.name() == mainName()) {
        Q_ASSERT(scope.reach() != ScopeSpec::Reach::Matching);
        if (scope.reach() != ScopeSpec::Reach::Matching)
            m_scopes[0] = scope;
        return;
    }
    Q_ASSERT(scope.reach() != ScopeSpec::Reach::Unmatched);
    for (ScopeSpec &s : m_scopes) {
        if (s.name() == scope.name()) {
            s = scope;
            return;
        }
    }
    m_scopes.append(scope);
}

void ScopeSet::setMainWindows(const QList<ScopeWindow> &windows)
{
    m_scopes[0].setWindows(windows);
}

QList<ScopeMatch> ScopeSet::matching(const QString &method, const QString &path) const
{
    QList<ScopeMatch> out;
    bool matchedByTemplate = false;
    for (qsizetype i = 1; i < m_scopes.size(); ++i) {
        const ScopeSpec &s = m_scopes.at(i);
        if (const std::optional<QString> key = s.keyFor(method, path)) {
            out.append({s.name(), *key, s.windows()});
            if (s.reach() == ScopeSpec::Reach::Matching)
                matchedByTemplate = true;
        }
    }
    const ScopeSpec &m = main();
    if (m.reach() == ScopeSpec::Reach::Every || !matchedByTemplate)
        out.prepend({m.name(), m.name(), m.windows()});
    return out;
}

QStringList ScopeSet::applyLimits(const QList<ScopeLimitOverride> &limits)
{
    QStringList refused;
    for (const ScopeLimitOverride &limit : limits) {
        const ScopeSpec *scope = find(limit.scope);
        if (!scope || limit.scope == mainName() || limit.windows.isEmpty()) {
            refused << limit.scope;
            continue;
        }
        ScopeSpec changed = *scope;
        changed.setWindows(limit.windows);
        insert(changed);
    }
    return refused;
}

} // namespace headroom::scopes
