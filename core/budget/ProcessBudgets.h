#pragma once

#include "core/budget/ProcessBudget.h"

#include <QHash>
#include <QMutex>

#include <memory>

namespace headroom::budget {

// The process's shared budgets, one per scope key (API, host, workspace and
// scope), so that every run of this process sending into one scope draws from
// one window; runs into other scopes never meet here. A budget lives while a
// lane holds it. Thread-safe.
class ProcessBudgets
{
public:
    // The one registry of this process.
    static ProcessBudgets &instance();

    // The budget of `key`, made on first use; a lower limit than it has lowers it.
    std::shared_ptr<ProcessBudget> acquire(const QString &key, int limit, Duration window, Duration margin);
    // Budgets some lane still holds (for tests).
    int liveCount() const;

private:
    mutable QMutex m_mutex;
    QHash<QString, std::weak_ptr<ProcessBudget>> m_budgets;
};

} // namespace headroom::budget
