#pragma once

#include "core/rate/Limiter.h"

#include <memory>
#include <vector>

namespace headroom::rate {

// A lane's limiters as one: the next request may go when every limiter agrees,
// i.e. at the latest of their answers, and no earlier than a lane-wide pause
// (set from Retry-After / msBeforeNext on a 429). It also says which rule is
// binding, for the "why are we waiting" chart. Retries pass through here like
// first attempts, so a retry never bypasses a limit.
class LimiterStack final : public Limiter
{
public:
    LimiterStack() = default;

    // Takes ownership; limiters are asked in the order added.
    Limiter *add(std::unique_ptr<Limiter> limiter);
    // Does not take ownership; the limiter must outlive the stack.
    void addShared(Limiter *limiter);
    int count() const { return int(m_limiters.size()); }
    Limiter *at(int index) const { return m_limiters[size_t(index)]; }

    QString name() const override { return QStringLiteral("lane"); }
    TimePoint earliestSend(TimePoint now) const override;
    // What the limiters alone answer, as if no lane-wide pause held.
    TimePoint earliestSendUnpaused(TimePoint now) const;
    void onSend(TimePoint now) override;
    void onResponse(TimePoint now, const ResponseObservation &observation) override;
    void onWire(TimePoint sentAt, TimePoint wireAt) override;
    // The lowest opinion: the lane cannot go faster than its slowest rule.
    double currentRate(TimePoint now) const override;

    // Holds every request of the lane until `until`; a later pause extends, an
    // earlier one never shortens.
    void pauseUntil(TimePoint until, const QString &reason);
    void clearPause();
    bool isPaused(TimePoint now) const { return now < m_pausedUntil; }
    TimePoint pausedUntil() const { return m_pausedUntil; }
    QString pauseReason() const { return m_pauseReason; }

    struct Binding
    {
        TimePoint until; // == now when nothing holds the lane
        QString limiter; // name of the limiter (or "pause") that answers latest; empty if none
        QString reason;  // pause reason when the pause binds
    };
    Binding binding(TimePoint now) const;

private:
    std::vector<std::unique_ptr<Limiter>> m_owned;
    std::vector<Limiter *> m_limiters;
    TimePoint m_pausedUntil{};
    QString m_pauseReason;
};

} // namespace headroom::rate
