#pragma once

#include "core/clock/Clock.h"
#include "core/sandbox/FaultPlan.h"

#include <QRandomGenerator>

namespace headroom::sandbox {

// Rolls the dice of a FaultPlan for one request: drop the connection, answer
// a 5xx without processing, lose the answer of a processed request, and how
// long to hold the answer (latency, jitter,
// or a rare long stall). Seeded, so a run can be replayed.
class FaultInjector
{
public:
    struct Decision
    {
        bool drop = false;
        bool loseAnswer = false; // process the request, then close without answering
        int errorStatus = 0;     // 500/502/503, or 0
        Duration delay{};
    };

    explicit FaultInjector(quint32 seed = 0);
    void reseed(quint32 seed);

    Decision decide(const FaultPlan &plan, const QString &api);

private:
    double uniform(); // [0, 1)

    QRandomGenerator m_random;
};

} // namespace headroom::sandbox
