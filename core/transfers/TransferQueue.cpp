#include "core/transfers/TransferQueue.h"

#include <algorithm>

namespace headroom::transfers {

TransferQueue::TransferQueue(int maxActive)
    : m_maxActive(std::max(1, maxActive))
{
}

void TransferQueue::setMaxActive(int maxActive)
{
    m_maxActive = std::max(1, maxActive);
}

int TransferQueue::active(const QList<TransferState> &states)
{
    return int(std::count_if(states.begin(), states.end(), holdsPlace));
}

QList<int> TransferQueue::toStart(const QList<TransferState> &states) const
{
    QList<int> next;
    int free = m_maxActive - active(states);
    for (int i = 0; i < states.size() && free > 0; ++i) {
        if (states.at(i) == TransferState::Queued) {
            next << i;
            --free;
        }
    }
    return next;
}

} // namespace headroom::transfers
