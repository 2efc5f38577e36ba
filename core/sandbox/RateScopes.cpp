#include "sandbox/RateScopes.h"

namespace headroom::sandbox {

RateDecision RateScopes::admit(const QString &scope, const ApiPolicy &policy, TimePoint now)
{
    auto it = m_windows.find(scope);
    if (it == m_windows.end() || it->limit() != policy.limit || it->window() != policy.window
        || it->kind() != policy.kind) {
        it = m_windows.insert(scope, RateWindow(policy.limit, policy.window, policy.kind));
    }
    return it->admit(now);
}

} // namespace headroom::sandbox
