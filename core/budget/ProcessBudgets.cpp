#include "core/budget/ProcessBudgets.h"

namespace headroom::budget {

ProcessBudgets &ProcessBudgets::instance()
{
    static ProcessBudgets budgets;
    return budgets;
}

std::shared_ptr<ProcessBudget> ProcessBudgets::acquire(const QString &key, int limit, Duration window, Duration margin)
{
    const QMutexLocker lock(&m_mutex);
    std::shared_ptr<ProcessBudget> budget = m_budgets.value(key).lock();
    // A window of another length is another scope's rule: keep them apart.
    if (budget && budget->window() != window)
        budget.reset();
    if (budget) {
        budget->lowerLimit(limit);
        return budget;
    }
    budget = std::make_shared<ProcessBudget>(key, limit, window, margin);
    m_budgets.insert(key, budget);
    return budget;
}

int ProcessBudgets::liveCount() const
{
    const QMutexLocker lock(&m_mutex);
    int live = 0;
    for (const std::weak_ptr<ProcessBudget> &budget : m_budgets)
        live += budget.expired() ? 0 : 1;
    return live;
}

} // namespace headroom::budget
