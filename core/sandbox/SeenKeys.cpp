#include "core/sandbox/SeenKeys.h"

#include <QCryptographicHash>

#include <algorithm>
#include <cstring>

namespace headroom::sandbox {

SeenKeys::SeenKeys(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{
}

bool SeenKeys::remember(const QString &key)
{
    // A cryptographic digest, not qHash: its seed differs from run to run
    // and two keys must never look alike by accident.
    const QByteArray digest = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256);
    quint64 h = 0;
    std::memcpy(&h, digest.constData(), sizeof h);
    if (m_keys.contains(h))
        return false;
    m_keys.insert(h);
    m_order.push_back(h);
    if (qsizetype(m_order.size()) > m_capacity) {
        m_keys.remove(m_order.front());
        m_order.pop_front();
    }
    return true;
}

void SeenKeys::clear()
{
    m_keys.clear();
    m_order.clear();
}

} // namespace headroom::sandbox
