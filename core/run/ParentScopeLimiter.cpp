#include "core/run/ParentScopeLimiter.h"

#include "core/run/Lane.h"

namespace headroom::run {

ParentScopeLimiter::ParentScopeLimiter(Lane *parent)
    : m_parent(parent)
{
}

QString ParentScopeLimiter::name() const
{
    return QStringLiteral("scope ") + m_parent->config().name;
}

TimePoint ParentScopeLimiter::earliestSend(TimePoint now) const
{
    return m_parent->nextSendAt(now);
}

void ParentScopeLimiter::onSend(TimePoint now)
{
    m_parent->onChildSend(now);
}

void ParentScopeLimiter::onResponse(TimePoint now, const rate::ResponseObservation &observation)
{
    m_parent->onChildResponse(now, observation);
}

void ParentScopeLimiter::onWire(TimePoint sentAt, TimePoint wireAt)
{
    m_parent->onWire(sentAt, wireAt);
}

} // namespace headroom::run
