#pragma once

#include "core/sandbox/EmulatedApi.h"
#include "core/sandbox/FaultInjector.h"
#include "core/sandbox/RateScopes.h"
#include "core/sandbox/SandboxConfig.h"
#include "core/sandbox/SandboxStats.h"

#include <memory>
#include <vector>

namespace headroom::sandbox {

// The sandbox's decisions for an API request, apart from any socket: which
// emulated API it belongs to, whether an outage or a fault takes it, what the
// API answers, how long to hold the answer, and what the stats count.
// Pure: it is told the time.
class SandboxService
{
public:
    struct Outcome
    {
        bool drop = false; // close the connection without an answer (dropped, or accepted and lost)
        HttpResponse response;
        Duration delay{};
        QString api; // empty when no API matched
    };

    SandboxService(const SandboxConfig &config, SandboxStats &stats);
    ~SandboxService();

    Outcome handle(const HttpRequest &request, TimePoint now, WallTime wallNow);

    const SandboxConfig &config() const { return m_config; }
    void setConfig(const SandboxConfig &config);
    void resetLimits() { m_scopes.clear(); }
    // Lets every scope's neighbour spend up to `now` while no request comes.
    void advanceNeighbours(TimePoint now, WallTime wallNow) { m_scopes.advance(now, wallNow); }

    void startOutage(TimePoint now, Duration length, OutageMode mode);
    void endOutage() { m_outageUntil = TimePoint(); }
    bool outageActive(TimePoint now) const { return now < m_outageUntil; }
    TimePoint outageUntil() const { return m_outageUntil; }
    OutageMode outageMode() const { return m_outageMode; }

private:
    EmulatedApi *apiFor(const QByteArray &path, QByteArray *subPath) const;

    SandboxConfig m_config;
    SandboxStats &m_stats;
    RateScopes m_scopes;
    FaultInjector m_faults;
    std::vector<std::unique_ptr<EmulatedApi>> m_apis;
    TimePoint m_outageUntil{};
    OutageMode m_outageMode = OutageMode::Fail;
};

} // namespace headroom::sandbox
