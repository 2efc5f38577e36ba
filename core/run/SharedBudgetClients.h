#pragma once

#include "core/clock/Clock.h"

#include <QString>

#include <functional>
#include <vector>

class QObject;

namespace headroom::budget {
class SharedBudgetClient;
}

namespace headroom::run {

class Lane;

// The Redis clients of a run's lanes that draw from a shared budget, one per
// such lane, made in the engine thread as the lanes open and stopped at the
// run's end. They hold the lanes' shared-budget limiters, so they go before
// the lanes do.
class SharedBudgetClients
{
public:
    SharedBudgetClients() = default;
    SharedBudgetClients(const SharedBudgetClients &) = delete;
    SharedBudgetClients &operator=(const SharedBudgetClients &) = delete;
    ~SharedBudgetClients() { deleteAll(); }

    // Starts a client for `lane` when it draws from a shared budget, a child
    // of `context`: `wake` when a grant or a switch to the local fallback may
    // let the lane send, `notice` for the run log.
    void start(Lane &lane, const Clock &clock, QObject *context, std::function<void()> wake,
               std::function<void(const QString &)> notice);
    void stop();
    void deleteAll();

private:
    std::vector<budget::SharedBudgetClient *> m_clients;
};

} // namespace headroom::run
