#include "core/rate/RetryBudget.h"

#include <algorithm>

namespace headroom::rate {

RetryBudget::RetryBudget()
    : RetryBudget(Config{})
{
}

RetryBudget::RetryBudget(Config config)
    : m_config(config)
    , m_tokens(std::max(0, config.quota))
{
}

void RetryBudget::expire(TimePoint now) const
{
    const TimePoint from = now - m_config.ratioWindow;
    while (!m_requests.empty() && m_requests.front() <= from)
        m_requests.pop_front();
    while (!m_retries.empty() && m_retries.front() <= from)
        m_retries.pop_front();
}

void RetryBudget::onRequest(TimePoint now)
{
    if (m_config.mode != Mode::Ratio)
        return;
    expire(now);
    m_requests.push_back(now);
}

double RetryBudget::available(TimePoint now) const
{
    if (m_config.mode == Mode::TokenQuota)
        return m_tokens;
    expire(now);
    const double allowed = m_config.floor + m_config.ratio * double(m_requests.size());
    return std::max(0.0, allowed - double(m_retries.size()));
}

int RetryBudget::tryAcquireRetry(TimePoint now, bool afterTimeout)
{
    if (m_config.mode == Mode::TokenQuota) {
        const int cost = std::max(1, afterTimeout ? m_config.timeoutRetryCost : m_config.retryCost);
        if (m_tokens < cost)
            return 0;
        m_tokens -= cost;
        return cost;
    }
    if (available(now) < 1.0)
        return 0;
    m_retries.push_back(now);
    return 1;
}

void RetryBudget::onSuccess(TimePoint now, int spentOnIt)
{
    Q_UNUSED(now);
    if (m_config.mode != Mode::TokenQuota)
        return;
    const int refill = spentOnIt > 0 ? spentOnIt : m_config.successRefill;
    m_tokens = std::min(m_config.quota, m_tokens + refill);
}

} // namespace headroom::rate
