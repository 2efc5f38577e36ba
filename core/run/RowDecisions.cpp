#include "core/run/RowDecisions.h"

#include <algorithm>

namespace headroom::run {

void RowDecisions::record(qint64 row, bool send)
{
    if (row < 0)
        return;
    const auto index = size_t(row);
    if (index >= m_decided.size()) {
        // Rows come in file order: grow geometrically, as push_back would.
        const size_t size = std::max(index + 1, m_decided.size() * 2);
        m_decided.resize(size, false);
        m_send.resize(size, false);
    }
    if (!m_decided[index])
        ++m_decidedRows;
    m_decided[index] = true;
    m_send[index] = send;
}

std::optional<bool> RowDecisions::sends(qint64 row) const
{
    if (row < 0 || size_t(row) >= m_decided.size() || !m_decided[size_t(row)])
        return std::nullopt;
    return bool(m_send[size_t(row)]);
}

} // namespace headroom::run
