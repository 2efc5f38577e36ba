#pragma once

#include "core/scopes/ScopeSpec.h"
#include "core/scopes/ScopeWindowText.h"

#include <QList>
#include <QString>

namespace headroom::scopes {

// A scope a request belongs to, with the concrete key its budget is kept under.
struct ScopeMatch
{
    QString scope;
    QString key;
    QList<ScopeWindow> windows;
};

// The scopes of one profile. There is always a main scope, named "main": the
// workspace's budget, which `--rate/--window` set. It takes every request
// (Reach::Every) or only those no other scope matches (Reach::Unmatched), so
// an API whose endpoints have limits of their own instead of the general one
// can say so. A request may be sent only when every scope it belongs to admits it.
class ScopeSet
{
public:
    static QString mainName() { return QStringLiteral("main"); }

    ScopeSet(); // a main scope taking the unmatched requests, limit unknown

    const QList<ScopeSpec> &scopes() const { return m_scopes; }
    const ScopeSpec *find(const QString &name) const;
    const ScopeSpec &main() const;
    // Adds `scope`, or replaces the scope of the same name in place.
    // The main scope keeps a Reach of Every or Unmatched.
    void insert(const ScopeSpec &scope);
    void setMainWindows(const QList<ScopeWindow> &windows);
    // Sets each named scope's windows, as a limits file overrides them; main's
    // are the rate's and are not taken. Returns the names it did not take.
    QStringList applyLimits(const QList<ScopeLimitOverride> &limits);

    // Every scope the request belongs to, in the set's order (main first).
    QList<ScopeMatch> matching(const QString &method, const QString &path) const;

private:
    QList<ScopeSpec> m_scopes; // [0] is main
};

} // namespace headroom::scopes
