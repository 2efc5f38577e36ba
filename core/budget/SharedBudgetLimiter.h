#pragma once

#include "core/budget/Reservation.h"
#include "core/budget/SharedBudgetConfig.h"
#include "core/rate/Limiter.h"

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace headroom::rate {
class SlidingWindowLimiter;
}

namespace headroom::budget {

// This process's side of a budget shared through Redis, as a pure limiter: it
// answers earliestSend(now) from slots the GCRA script granted ahead of time
// (a small prefetch, so a decision never waits on the network), asks for more
// through a handler the I/O side installs, and when Redis is away paces by a
// local sliding window at this process's share of the limit. Told the time,
// never reads a clock; SharedBudgetClient does the talking.
class SharedBudgetLimiter final : public rate::Limiter
{
public:
    enum class Mode { Connecting,
                      Shared,
                      Fallback };

    explicit SharedBudgetLimiter(SharedBudgetConfig config);
    ~SharedBudgetLimiter() override;

    // The binding rule's name in the charts says which side paces.
    QString name() const override
    {
        return m_mode == Mode::Fallback ? QStringLiteral("shared-budget (local fallback)") : QStringLiteral("shared-budget");
    }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onResponse(TimePoint now, const rate::ResponseObservation &observation) override;
    double currentRate(TimePoint now) const override;

    // --- the I/O side
    // Called when the limiter would like more slots (from earliestSend: being
    // asked is the demand). The handler must not call back into the limiter's
    // earliestSend.
    void setDemandHandler(std::function<void()> handler) { m_demand = std::move(handler); }
    // Slots worth reserving now (0: enough in hand).
    int slotsWanted(TimePoint now) const;
    // The script answered a request sent at `askedAt`.
    void onReservation(TimePoint askedAt, TimePoint answeredAt, const Reservation &reservation);
    // No answer in time, refused or disconnected: pace locally from now on.
    void onUnavailable(TimePoint now);
    // A limit learned from headers, not yet written to the key.
    std::optional<std::pair<qint64, qint64>> takePublish();
    // The operator changed the lane's limit (used until the key says otherwise).
    void setLimit(int limit, Duration period);
    // Sampling for the charts must not count as demand.
    void setQuiet(bool quiet) const { m_quiet = quiet; }

    Mode mode() const { return m_mode; }
    static QString modeName(Mode mode);
    const SharedBudgetConfig &config() const { return m_config; }
    qint64 limit() const { return m_limit; }
    Duration period() const { return m_period; }
    // The most processes the budget counted in the last 10 s: a Redis that
    // just restarted has forgotten the others for a moment, and a fallback
    // share from that moment would be too large.
    int processesSeen() const { return m_processes; }
    // Requests per window this process allows itself while Redis is away.
    int fallbackLimit() const;
    // The whole budget's use (every process), from the script's grant counter; -1 unknown.
    double budgetUsePerS(TimePoint now) const;
    int prefetch() const;
    int grantsInHand(TimePoint now) const;
    bool recovering(TimePoint now) const { return now < m_recoverUntil; }

private:
    void enterFallback(TimePoint now);
    void askForMore() const;
    const TimePoint *firstValidGrant(TimePoint now) const;

    SharedBudgetConfig m_config;
    Mode m_mode = Mode::Connecting;
    qint64 m_limit;
    Duration m_period;
    int m_processes = 1;
    std::deque<std::pair<TimePoint, int>> m_processCounts; // (answered at, processes), last 10 s
    std::deque<TimePoint> m_grants;                        // granted send times on our steady clock, ascending
    std::deque<TimePoint> m_sends;                         // our sends in the last period, to seed the fallback window
    std::unique_ptr<rate::SlidingWindowLimiter> m_fallback;
    TimePoint m_recoverUntil{};
    std::deque<std::pair<TimePoint, qint64>> m_granted; // (answered at, granted total) for the use rate
    std::optional<std::pair<qint64, qint64>> m_publish;
    std::pair<qint64, qint64> m_published{0, 0};
    std::function<void()> m_demand;
    mutable bool m_quiet = false;
};

} // namespace headroom::budget
