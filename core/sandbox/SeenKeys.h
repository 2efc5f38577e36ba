#pragma once

#include <QSet>
#include <QString>

#include <deque>

namespace headroom::sandbox {

// The dedupe keys an API has seen, as the real services keep them to drop a
// resent write (Segment: at least a day of messageIds; Customer.io: event
// ids). Memory is bounded by count: past `capacity` the oldest key is
// forgotten, so a duplicate that old is applied again, as on the real APIs.
// Keys are kept as 64-bit hashes (8 bytes each, not the text).
class SeenKeys
{
public:
    static constexpr qsizetype kDefaultCapacity = 1'000'000;

    explicit SeenKeys(qsizetype capacity = kDefaultCapacity);

    // True when `key` is new (it is remembered); false for a duplicate.
    bool remember(const QString &key);
    qsizetype size() const { return m_keys.size(); }
    void clear();

private:
    qsizetype m_capacity;
    QSet<quint64> m_keys;
    std::deque<quint64> m_order;
};

} // namespace headroom::sandbox
