#pragma once

#include "core/clock/Clock.h"

#include <QString>

namespace headroom::rate {

struct ResponseObservation;

// Stops a lane from hammering an API that is down: after a run of failures
// (transport errors, timeouts, 5xx) it opens and refuses requests; after a
// cool-down it lets exactly one probe through (half-open); the probe's success
// closes it, its failure opens it again for longer (up to a cap).
class CircuitBreaker
{
public:
    enum class State { Closed,
                       Open,
                       HalfOpen };
    struct Config
    {
        int failureThreshold = 5;                        // consecutive failures that open it
        Duration openFor = std::chrono::seconds(5);      // first cool-down
        Duration maxOpenFor = std::chrono::seconds(120); // cool-down doubles up to this
    };

    CircuitBreaker();
    explicit CircuitBreaker(Config config);

    // May a request go now? In half-open this admits the one probe and then
    // refuses until the probe's outcome is reported.
    bool allowRequest(TimePoint now);
    void onSuccess(TimePoint now);
    void onFailure(TimePoint now);
    // Sorts an outcome: failures open the breaker; 429 and other 4xx are the
    // server working as designed and count as success for it. A failure of a
    // request sent before one that succeeded does not count.
    void onResponse(TimePoint now, const ResponseObservation &observation);
    static bool isFailure(const ResponseObservation &observation);

    // Observable for charts: Open turns into HalfOpen once the cool-down is over.
    State state(TimePoint now) const;
    TimePoint openUntil() const { return m_openUntil; }
    int consecutiveFailures() const { return m_failures; }
    static QString stateName(State state);

private:
    void open(TimePoint now);

    Config m_config;
    State m_state = State::Closed;
    int m_failures = 0;
    Duration m_currentOpenFor;
    TimePoint m_openUntil{};
    bool m_probeOut = false;
    TimePoint m_probeSentAt{};
    TimePoint m_newestSuccessSentAt{}; // the latest send the server answered well
};

} // namespace headroom::rate
