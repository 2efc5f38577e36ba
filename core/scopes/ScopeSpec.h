#pragma once

#include "core/clock/Clock.h"
#include "core/scopes/PathTemplate.h"

#include <QList>
#include <QString>

#include <optional>

namespace headroom::scopes {

// At most `limit` requests in any `per`.
struct ScopeWindow
{
    int limit = 0;
    Duration per{};

    friend bool operator==(const ScopeWindow &, const ScopeWindow &) = default;
};

// One limit an API enforces: which requests share it, how they are keyed
// (one budget for the workspace, or one per value of a path variable such as a
// campaign id), and every window that applies at once (per second and per
// minute and per day).
class ScopeSpec
{
public:
    enum class Reach {
        Matching,  // the requests its method and path template match
        Every,     // every request of the profile
        Unmatched, // the requests no Matching scope takes (the main scope only)
    };

    ScopeSpec() = default;
    // `method` empty: any method. `keyVariable` empty: one key for the workspace.
    static ScopeSpec matching(const QString &name, const QString &method, const PathTemplate &path,
                              const QString &keyVariable, const QList<ScopeWindow> &windows);
    static ScopeSpec every(const QString &name, const QList<ScopeWindow> &windows);
    static ScopeSpec unmatched(const QString &name, const QList<ScopeWindow> &windows);

    QString name() const { return m_name; }
    Reach reach() const { return m_reach; }
    QString method() const { return m_method; }
    const std::optional<PathTemplate> &pathTemplate() const { return m_path; }
    QString keyVariable() const { return m_keyVariable; }
    // Empty: the limit is unknown and is to be learned from the server.
    const QList<ScopeWindow> &windows() const { return m_windows; }
    void setWindows(const QList<ScopeWindow> &windows) { m_windows = windows; }

    // The concrete key of a request its own matcher takes: `broadcasts` or
    // `broadcasts:campaign=42` (the value percent-encoded, so a key is one
    // unambiguous token in a log line or a Redis key). Empty for a request it
    // does not take, and always for an Unmatched scope, which its set decides.
    std::optional<QString> keyFor(const QString &method, const QString &path) const;

    // As written in a limits file: "POST /v1/send/email", "/labels", "*", "rest".
    QString matchText() const;

private:
    QString m_name;
    Reach m_reach = Reach::Unmatched;
    QString m_method;
    std::optional<PathTemplate> m_path;
    QString m_keyVariable;
    QList<ScopeWindow> m_windows;
};

} // namespace headroom::scopes
