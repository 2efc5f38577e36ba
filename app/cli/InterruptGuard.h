#pragma once

#include <QTimer>

#include <functional>

#include <signal.h>

namespace headroom::cli {

// Catches SIGINT and SIGTERM while it lives and reports them on the event
// loop: a signal handler may only count, so a timer hands each new count to
// `onInterrupt` (1 for the first, 2 for the second, ...). The handlers that
// were installed before come back when it goes. One guard at a time.
class InterruptGuard
{
public:
    explicit InterruptGuard(std::function<void(int count)> onInterrupt);
    ~InterruptGuard();

    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

private:
    void poll();

    std::function<void(int)> m_onInterrupt;
    QTimer m_poll;
    int m_seen = 0;
    struct sigaction m_previousInt = {};
    struct sigaction m_previousTerm = {};
};

} // namespace headroom::cli
