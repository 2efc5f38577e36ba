#pragma once

#include <QByteArrayView>

#include <vector>

namespace headroom::imports {

// Remembers the row at which each key was first seen, by a 64-bit hash of the
// key (a false match needs ~4 billion keys), in an open-addressing table: one
// cache miss per row, 16 bytes per slot, where a node-based hash of a million
// ids was the slowest part of preflight.
class DuplicateFinder
{
public:
    explicit DuplicateFinder(qsizetype expectedKeys = 1024);

    // 0 if `key` is new (and remembers `row`), else the row it was first seen at.
    qint64 firstRowOf(QByteArrayView key, qint64 row);
    qsizetype size() const { return m_size; }

private:
    struct Slot
    {
        quint64 hash = 0;
        qint64 row = 0; // 0 = empty slot (rows start at 1)
    };
    void grow();

    std::vector<Slot> m_slots;
    qsizetype m_size = 0;
};

} // namespace headroom::imports
