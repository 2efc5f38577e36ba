#pragma once

#include "core/scopes/ScopeSet.h"

#include <QList>
#include <QSet>
#include <QString>

namespace headroom::scopes {

// Where one request goes: the lane of its most specific scope, and the wider
// scopes whose budgets it also spends (a per-endpoint scope under a
// token-wide one). Each is keyed, e.g. `broadcasts:campaign=42`.
struct ScopeRoute
{
    ScopeMatch lane;
    QList<ScopeMatch> parents;
};

// Decides a request's scope keys for the engine, one lane per key. Keys are
// bounded: a file with a million campaign ids must not make a million lanes.
// Past `maxKeys` distinct keys, a new key of a keyed scope joins that scope's
// one overflow key (`broadcasts:overflow`), which paces at the scope's limit
// for all of them together: slower than the server allows, never faster.
// Pure: no clock, no I/O.
class ScopeRouter
{
public:
    static constexpr int DefaultMaxKeys = 64;

    explicit ScopeRouter(ScopeSet scopes, int maxKeys = DefaultMaxKeys);

    const ScopeSet &scopes() const { return m_scopes; }
    ScopeRoute route(const QString &method, const QString &path);
    int keyCount() const { return int(m_keys.size()); }
    static QString overflowKey(const QString &scope) { return scope + QStringLiteral(":overflow"); }

private:
    ScopeMatch bounded(ScopeMatch match);

    ScopeSet m_scopes;
    int m_maxKeys;
    QSet<QString> m_keys;
};

} // namespace headroom::scopes
