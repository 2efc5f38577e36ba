#include "core/run/SharedBudgetClients.h"

#include "core/budget/SharedBudgetClient.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/run/Lane.h"

namespace headroom::run {

void SharedBudgetClients::start(Lane &lane, const Clock &clock, QObject *context, std::function<void()> wake,
                                std::function<void(const QString &)> notice)
{
    budget::SharedBudgetLimiter *shared = lane.sharedBudget();
    if (!shared)
        return;
    auto *client = new budget::SharedBudgetClient(shared, clock, context);
    QObject::connect(client, &budget::SharedBudgetClient::wake, context, std::move(wake));
    QObject::connect(client, &budget::SharedBudgetClient::notice, context, std::move(notice));
    m_clients.push_back(client);
    client->start();
}

void SharedBudgetClients::stop()
{
    for (budget::SharedBudgetClient *client : m_clients)
        client->stop();
}

void SharedBudgetClients::deleteAll()
{
    qDeleteAll(m_clients);
    m_clients.clear();
}

} // namespace headroom::run
