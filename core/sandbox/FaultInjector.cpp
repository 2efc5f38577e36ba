#include "core/sandbox/FaultInjector.h"

namespace headroom::sandbox {

FaultInjector::FaultInjector(quint32 seed)
{
    reseed(seed);
}

void FaultInjector::reseed(quint32 seed)
{
    m_random.seed(seed != 0 ? seed : QRandomGenerator::global()->generate());
}

double FaultInjector::uniform()
{
    return m_random.generateDouble();
}

FaultInjector::Decision FaultInjector::decide(const FaultPlan &plan, const QString &api)
{
    Decision d;
    if (!plan.appliesTo(api))
        return d;
    if (plan.drop > 0.0 && uniform() < plan.drop) {
        d.drop = true;
        return d;
    }
    // Rolled only when configured, so existing seeds replay the same faults.
    if (plan.lostAnswer > 0.0 && uniform() < plan.lostAnswer)
        d.loseAnswer = true;
    const double errors = plan.error500 + plan.error502 + plan.error503;
    if (errors > 0.0) {
        const double r = uniform();
        if (r < plan.error500)
            d.errorStatus = 500;
        else if (r < plan.error500 + plan.error502)
            d.errorStatus = 502;
        else if (r < errors)
            d.errorStatus = 503;
    }
    if (plan.stall > 0.0 && uniform() < plan.stall) {
        d.delay = std::chrono::milliseconds(plan.stallMs);
    } else {
        qint64 ms = plan.latencyMs;
        if (plan.jitterMs > 0)
            ms += qint64(uniform() * (plan.jitterMs + 1));
        d.delay = std::chrono::milliseconds(ms);
    }
    return d;
}

} // namespace headroom::sandbox
