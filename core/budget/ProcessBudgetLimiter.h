#pragma once

#include "core/budget/ProcessBudget.h"
#include "core/rate/Limiter.h"

#include <memory>

namespace headroom::budget {

// A lane's share of a ProcessBudget, as one more rule of its LimiterStack.
class ProcessBudgetLimiter final : public rate::Limiter
{
public:
    explicit ProcessBudgetLimiter(std::shared_ptr<ProcessBudget> budget);
    ~ProcessBudgetLimiter() override;

    QString name() const override { return QStringLiteral("process-budget"); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onResponse(TimePoint now, const rate::ResponseObservation &observation) override;
    void onWire(TimePoint sentAt, TimePoint wireAt) override;
    double currentRate(TimePoint now) const override;

    const ProcessBudget &budget() const { return *m_budget; }
    // What the budget's other holders sent later than `from` (wire times).
    void othersSentSince(TimePoint from, std::vector<TimePoint> &out) const
    {
        m_budget->othersSentSince(this, from, out);
    }

private:
    std::shared_ptr<ProcessBudget> m_budget;
};

} // namespace headroom::budget
