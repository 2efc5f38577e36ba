#pragma once

#include "core/clock/Clock.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <deque>

namespace headroom::budget {

// One scope's budget shared by every run of this process that sends into it
// (the console's imports into one workspace): an exact sliding window of the
// last `limit` sends of all of them together, so that together they never
// send more than `limit` in any window plus margin. Thread-safe: each run's
// Dispatcher asks from its own engine thread. Pure otherwise: it is told the
// time on the one steady timeline all engine threads share.
//
// Between a lane's "may I send?" and its send another thread may ask, so an
// answer of "now" claims a slot for that holder: the others see it as sent
// until the holder sends (the claim becomes the send) or kClaimFor passes
// (another rule of its lane held it back), so two threads can never both take
// the window's last slot.
class ProcessBudget
{
public:
    static constexpr Duration kClaimFor = std::chrono::milliseconds(10);

    ProcessBudget(QString key, int limit, Duration window, Duration margin);

    QString key() const { return m_key; }
    int limit() const;
    Duration window() const { return m_window; }
    // Several runs may set different limits for one scope: the lowest holds.
    void lowerLimit(int limit);

    // The earliest instant `holder` may send; `now` claims a slot for it.
    TimePoint earliestSend(const void *holder, TimePoint now);
    void onSend(const void *holder, TimePoint now);
    // The send recorded at `sentAt` left the machine at `wireAt`.
    void onWire(TimePoint sentAt, TimePoint wireAt);
    // A 429 from the scope met a window this budget thought had room: arrival
    // jitter between its lanes' sends and the server's clock. Doubles the
    // margin (10 ms at least, a tenth of the window at most), as a lane does.
    void onThrottled();
    Duration margin() const;
    // Sends within the window ending at `now` (for tests and the charts).
    int sentInWindow(TimePoint now) const;
    // A holder going away drops its claim.
    void release(const void *holder);

private:
    void dropExpiredClaims(TimePoint now);

    const QString m_key;
    const Duration m_window;
    mutable QMutex m_mutex;
    Duration m_margin;
    int m_limit;
    std::deque<TimePoint> m_sends; // the last `limit` sends of every holder, oldest first
    QHash<const void *, TimePoint> m_claims;
};

} // namespace headroom::budget
