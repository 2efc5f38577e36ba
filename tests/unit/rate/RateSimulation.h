#pragma once

#include "tests/unit/rate/SimulatedServer.h"

#include "core/clock/FakeClock.h"
#include "core/rate/LimiterStack.h"

#include <vector>

// A discrete-event loop in virtual time: a client that sends whenever its lane
// (LimiterStack) allows, to a SimulatedServer, with random latency. Each request
// reaches the server after an uplink delay (when the server counts it) and its
// answer comes back after the full latency. A 429 is retried through the lane;
// a 429 that names a wait pauses the lane (as RetryPolicy decides).
class RateSimulation
{
public:
    struct Config
    {
        int requests = 10000;
        headroom::Duration minLatency = std::chrono::milliseconds(10); // send -> response
        headroom::Duration maxLatency = std::chrono::milliseconds(250);
        headroom::Duration minUplink = std::chrono::milliseconds(1); // send -> counted at the server
        headroom::Duration maxUplink = std::chrono::milliseconds(5);
        quint64 seed = 1;
        headroom::Duration giveUpAfter = std::chrono::hours(10); // virtual; a stuck lane fails the test
    };
    struct Result
    {
        int attempts = 0;
        int accepted = 0;
        int rejected = 0;
        bool finished = false;
        headroom::TimePoint start{};
        std::vector<headroom::TimePoint> acceptedArrivals; // in arrival order

        // Accepted requests per second counted by arrival, over [from, last arrival].
        double acceptedRate(headroom::Duration from = {}) const;
    };

    RateSimulation(headroom::FakeClock &clock, SimulatedServer &server, headroom::rate::LimiterStack &lane,
                   Config config);
    Result run();

private:
    headroom::FakeClock &m_clock;
    SimulatedServer &m_server;
    headroom::rate::LimiterStack &m_lane;
    Config m_config;
};
