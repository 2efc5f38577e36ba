#include "core/rate/CircuitBreaker.h"

#include "core/rate/Limiter.h"

#include <algorithm>

namespace headroom::rate {

CircuitBreaker::CircuitBreaker()
    : CircuitBreaker(Config{})
{
}

CircuitBreaker::CircuitBreaker(Config config)
    : m_config(config)
    , m_currentOpenFor(config.openFor)
{
    m_config.failureThreshold = std::max(1, m_config.failureThreshold);
}

CircuitBreaker::State CircuitBreaker::state(TimePoint now) const
{
    if (m_state == State::Open && now >= m_openUntil)
        return State::HalfOpen;
    return m_state;
}

QString CircuitBreaker::stateName(State state)
{
    switch (state) {
    case State::Closed: return QStringLiteral("closed");
    case State::Open: return QStringLiteral("open");
    case State::HalfOpen: return QStringLiteral("half-open");
    }
    return QStringLiteral("closed");
}

bool CircuitBreaker::allowRequest(TimePoint now)
{
    switch (state(now)) {
    case State::Closed:
        return true;
    case State::Open:
        return false;
    case State::HalfOpen:
        m_state = State::HalfOpen;
        if (m_probeOut)
            return false;
        m_probeOut = true;
        m_probeSentAt = now;
        return true;
    }
    return false;
}

void CircuitBreaker::open(TimePoint now)
{
    m_state = State::Open;
    m_openUntil = now + m_currentOpenFor;
    m_probeOut = false;
}

void CircuitBreaker::onSuccess(TimePoint now)
{
    Q_UNUSED(now);
    m_failures = 0;
    if (m_state != State::Closed && (m_state == State::HalfOpen || now >= m_openUntil)) {
        m_state = State::Closed;
        m_currentOpenFor = m_config.openFor;
        m_probeOut = false;
    }
}

void CircuitBreaker::onFailure(TimePoint now)
{
    const State s = state(now);
    if (s == State::HalfOpen) {
        // The probe failed: stay away longer this time.
        m_currentOpenFor = std::min(m_config.maxOpenFor, m_currentOpenFor * 2);
        open(now);
        return;
    }
    if (s == State::Open)
        return; // a straggler sent before we opened
    if (++m_failures >= m_config.failureThreshold)
        open(now);
}

bool CircuitBreaker::isFailure(const ResponseObservation &o)
{
    return o.transportError || o.timedOut || o.status == 0 || (o.status >= 500 && o.status <= 599);
}

void CircuitBreaker::onResponse(TimePoint now, const ResponseObservation &observation)
{
    const TimePoint sentAt = observation.sentAt;
    if (!isFailure(observation)) {
        m_newestSuccessSentAt = std::max(m_newestSuccessSentAt, sentAt);
        onSuccess(now);
        return;
    }
    // A request sent before one that succeeded is older news: the server
    // answered after it (a lost answer times out long after later requests
    // succeeded). In half-open only the probe's own answer decides.
    if (sentAt != TimePoint{}) {
        if (sentAt < m_newestSuccessSentAt)
            return;
        if (state(now) == State::HalfOpen && m_probeOut && sentAt < m_probeSentAt)
            return;
    }
    onFailure(now);
}

} // namespace headroom::rate
