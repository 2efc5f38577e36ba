#include "core/imports/DuplicateFinder.h"

namespace headroom::imports {

namespace {

// FNV-1a over the bytes, then a final mix so the low bits index well.
quint64 hashOf(QByteArrayView key)
{
    quint64 h = 1469598103934665603ULL;
    for (const char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

} // namespace

DuplicateFinder::DuplicateFinder(qsizetype expectedKeys)
{
    size_t capacity = 1024;
    while (capacity < size_t(expectedKeys) * 2)
        capacity *= 2;
    m_slots.resize(capacity);
}

void DuplicateFinder::grow()
{
    std::vector<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    const size_t mask = m_slots.size() - 1;
    for (const Slot &s : old) {
        if (s.row == 0)
            continue;
        size_t i = size_t(s.hash) & mask;
        while (m_slots[i].row != 0)
            i = (i + 1) & mask;
        m_slots[i] = s;
    }
}

qint64 DuplicateFinder::firstRowOf(QByteArrayView key, qint64 row)
{
    if (size_t(m_size + 1) * 2 > m_slots.size())
        grow();
    const quint64 h = hashOf(key);
    const size_t mask = m_slots.size() - 1;
    size_t i = size_t(h) & mask;
    for (;;) {
        Slot &s = m_slots[i];
        if (s.row == 0) {
            s.hash = h;
            s.row = row;
            ++m_size;
            return 0;
        }
        if (s.hash == h)
            return s.row;
        i = (i + 1) & mask;
    }
}

} // namespace headroom::imports
