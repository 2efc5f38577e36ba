#include "core/budget/BudgetLogging.h"
Q_LOGGING_CATEGORY(lcBudget, "headroom.budget", QtInfoMsg)
