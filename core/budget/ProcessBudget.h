#pragma once

#include "core/clock/Clock.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <deque>
#include <optional>
#include <vector>

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
//
// A freed slot goes to the holder with the fewest sends in the window among
// those waiting for it: whichever thread's timer fires first would otherwise
// take every slot, and one import would crawl beside the others. A holder
// that yields waits at most until the waiting one's turn has passed by
// kClaimFor (its lane may be held by a rule of its own).
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
    // Wire times of sends by holders other than `holder` later than `from`,
    // appended to `out`: what the others spent of the window.
    void othersSentSince(const void *holder, TimePoint from, std::vector<TimePoint> &out) const;
    // Sends within the window ending at `now` (for tests and the charts).
    int sentInWindow(TimePoint now) const;
    // A holder going away drops its claim.
    void release(const void *holder);

private:
    void dropExpiredClaims(TimePoint now);
    int sentInWindowBy(const void *holder, TimePoint now) const;
    // The waiting holder with fewer sends in the window than `holder`, whose
    // turn is due by `at`: when it is, `holder` yields to it.
    std::optional<TimePoint> yieldTo(const void *holder, TimePoint at, TimePoint now) const;

    struct Sent
    {
        TimePoint at;
        const void *holder;
    };

    const QString m_key;
    const Duration m_window;
    mutable QMutex m_mutex;
    Duration m_margin;
    int m_limit;
    std::deque<Sent> m_sends; // the last `limit` sends of every holder, oldest first
    QHash<const void *, TimePoint> m_claims;
    QHash<const void *, TimePoint> m_waiting; // the slot each holder was told to wait for
};

} // namespace headroom::budget
