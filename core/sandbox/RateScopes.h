#pragma once

#include "sandbox/ApiPolicy.h"
#include "sandbox/RateWindow.h"

#include <QHash>
#include <QString>

namespace headroom::sandbox {

// The RateWindow of every limit scope seen so far ("customerio-track/<site>",
// "segment-public/<token>", ...). A scope whose policy changed starts afresh.
class RateScopes
{
public:
    RateDecision admit(const QString &scope, const ApiPolicy &policy, TimePoint now);
    void clear() { m_windows.clear(); }

private:
    QHash<QString, RateWindow> m_windows;
};

} // namespace headroom::sandbox
