#include "core/budget/ProcessBudgetLimiter.h"

namespace headroom::budget {

ProcessBudgetLimiter::ProcessBudgetLimiter(std::shared_ptr<ProcessBudget> budget)
    : m_budget(std::move(budget))
{
}

ProcessBudgetLimiter::~ProcessBudgetLimiter()
{
    m_budget->release(this);
}

TimePoint ProcessBudgetLimiter::earliestSend(TimePoint now) const
{
    return m_budget->earliestSend(this, now);
}

void ProcessBudgetLimiter::onSend(TimePoint now)
{
    m_budget->onSend(this, now);
}

void ProcessBudgetLimiter::onResponse(TimePoint now, const rate::ResponseObservation &observation)
{
    Q_UNUSED(now);
    if (observation.status == 429)
        m_budget->onThrottled();
}

void ProcessBudgetLimiter::onWire(TimePoint sentAt, TimePoint wireAt)
{
    m_budget->onWire(sentAt, wireAt);
}

double ProcessBudgetLimiter::currentRate(TimePoint now) const
{
    Q_UNUSED(now);
    return double(m_budget->limit()) / std::chrono::duration<double>(m_budget->window()).count();
}

} // namespace headroom::budget
