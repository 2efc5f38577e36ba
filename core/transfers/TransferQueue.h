#pragma once

#include "core/transfers/TransferState.h"

#include <QList>

namespace headroom::transfers {

// What the transfer list starts next: the queued imports, in list order, that
// fit beside those already holding a place, so that at most maxActive run at
// once. Pure: it sees only the states, and the list calls it whenever one
// changes (an import finishes, one is added, the setting changes).
class TransferQueue
{
public:
    explicit TransferQueue(int maxActive = 1);

    // At least 1.
    void setMaxActive(int maxActive);
    int maxActive() const { return m_maxActive; }

    // Indices into `states` of the queued imports to start now, first first.
    QList<int> toStart(const QList<TransferState> &states) const;
    // How many of `states` hold a place.
    static int active(const QList<TransferState> &states);

private:
    int m_maxActive;
};

} // namespace headroom::transfers
