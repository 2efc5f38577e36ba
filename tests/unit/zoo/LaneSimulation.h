#pragma once

#include "tests/unit/rate/ZooServer.h"

#include "core/clock/FakeClock.h"
#include "core/run/LaneConfig.h"

#include <QStringList>

#include <vector>

namespace headroom::run {
class Lane;
}

// A discrete-event loop in virtual time that drives one engine Lane (its
// limiters, retry policy, pauses and retry queue, as the Dispatcher does)
// against a ZooServer: a request is counted at the server after an uplink
// delay and answered after the full latency; a lost answer ends as a timeout.
// The dispatcher's timer is modelled as firing late by up to `wakeLateness`,
// as QTimer does, so a limiter whose waits drift with `now` shows up as a
// stall here and not only in production.
class LaneSimulation
{
public:
    struct Config
    {
        int rows = 1000;
        headroom::Duration minLatency = std::chrono::milliseconds(10); // send -> response
        headroom::Duration maxLatency = std::chrono::milliseconds(200);
        headroom::Duration minUplink = std::chrono::milliseconds(1); // send -> counted at the server
        headroom::Duration maxUplink = std::chrono::milliseconds(5);
        headroom::Duration wakeLateness = std::chrono::milliseconds(2);
        headroom::Duration giveUpAfter = std::chrono::hours(2); // virtual
        quint64 seed = 1;
    };
    struct Result
    {
        bool finished = false;
        int done = 0;
        int deadLetters = 0;
        QStringList deadReasons;
        int attempts = 0;
        int throttled = 0;
        headroom::TimePoint start{};
        headroom::TimePoint end{}; // the last answer
        // The longest time the lane had work, nothing in flight, and sent nothing.
        headroom::Duration longestIdle{};
        headroom::TimePoint longestIdleAt{};
        // Server-stated waits (Retry-After, msBeforeNext, resets) seen, the longest.
        headroom::Duration longestStatedWait{};
        std::vector<headroom::TimePoint> acceptedArrivals;

        double elapsedS() const { return std::chrono::duration<double>(end - start).count(); }
        // Accepted requests per second by arrival, over [start + from, last arrival].
        double acceptedRate(headroom::Duration from = {}) const;
    };

    LaneSimulation(headroom::FakeClock &clock, ZooServer &server, headroom::run::LaneConfig lane, Config config);
    Result run();

private:
    headroom::FakeClock &m_clock;
    ZooServer &m_server;
    headroom::run::LaneConfig m_laneConfig;
    Config m_config;
};
