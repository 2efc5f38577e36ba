#pragma once

#include "core/sandbox/ApiPolicy.h"
#include "core/sandbox/NeighbourLoad.h"
#include "core/sandbox/RateWindow.h"

#include <QHash>
#include <QString>

#include <functional>

namespace headroom::sandbox {

// The RateWindow of every limit scope seen so far ("customerio-track/<site>",
// "segment-public/<token>", ...). A scope whose policy changed starts afresh.
// When the policy has a neighbour, its attempts due by `now` are made on the
// same window before the request at `now`, so the window sees both in the
// order they arrived; each attempt is reported to the neighbour sink.
class RateScopes
{
public:
    using NeighbourSink = std::function<void(const QString &scope, const ApiPolicy &policy, TimePoint at,
                                             const RateDecision &decision)>;

    void setNeighbourSink(NeighbourSink sink) { m_neighbourSink = std::move(sink); }

    RateDecision admit(const QString &scope, const ApiPolicy &policy, TimePoint now, WallTime wallNow);
    RateDecision admit(const QString &scope, const ApiPolicy &policy, TimePoint now);
    // Makes every scope's neighbour attempts due by `now`, so they keep
    // spending while the client is quiet.
    void advance(TimePoint now, WallTime wallNow);
    bool hasNeighbours() const;
    void clear() { m_scopes.clear(); }

private:
    struct Scope
    {
        ApiPolicy policy;
        RateWindow window;
        NeighbourLoad neighbour;
    };

    void runNeighbour(const QString &key, Scope &scope, TimePoint now, WallTime wallNow);

    QHash<QString, Scope> m_scopes;
    NeighbourSink m_neighbourSink;
};

} // namespace headroom::sandbox
