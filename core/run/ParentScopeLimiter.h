#pragma once

#include "core/rate/Limiter.h"

namespace headroom::run {

class Lane;

// A wider scope's lane as one rule of a narrower scope's lane: a request of a
// per-endpoint scope under a token-wide budget goes only when the token's lane
// would let one of its own go too, and it counts there as sent. The parent
// learns from the answer's rate headers (they report the wider budget) but
// not from a 429, which pauses and teaches only the lane that got it.
class ParentScopeLimiter final : public rate::Limiter
{
public:
    explicit ParentScopeLimiter(Lane *parent);

    QString name() const override;
    // Whether a binding limiter's name is a parent scope's.
    static bool isParentName(const QString &name) { return name.startsWith(QLatin1String("scope ")); }
    TimePoint earliestSend(TimePoint now) const override;
    void onSend(TimePoint now) override;
    void onResponse(TimePoint now, const rate::ResponseObservation &observation) override;
    void onWire(TimePoint sentAt, TimePoint wireAt) override;

private:
    Lane *m_parent;
};

} // namespace headroom::run
