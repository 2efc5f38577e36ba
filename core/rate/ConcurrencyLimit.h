#pragma once

#include "core/rate/Limiter.h"

namespace headroom::rate {

// At most N requests in flight. It is the only limiter that answers
// TimePoint::max(): the next slot opens on a response, not at a time.
class ConcurrencyLimit final : public Limiter
{
public:
    explicit ConcurrencyLimit(int maxInFlight);

    QString name() const override { return QStringLiteral("concurrency"); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onResponse(TimePoint now, const ResponseObservation &observation) override;

    int inFlight() const { return m_inFlight; }
    int maxInFlight() const { return m_max; }
    void setMaxInFlight(int maxInFlight);

private:
    int m_max;
    int m_inFlight = 0;
};

} // namespace headroom::rate
