#pragma once

#include <QByteArray>
#include <QList>
#include <QtGlobal>

#include <map>
#include <optional>
#include <utility>

namespace headroom::run {

// A set of row numbers kept as disjoint closed ranges, so a million finished
// rows of an import in file order cost one entry, and the journal can write
// "1-250000" instead of a quarter of a million numbers.
class RowRangeSet
{
public:
    using Range = std::pair<qint64, qint64>; // first, last (inclusive)

    void add(qint64 row) { add(row, row); }
    void add(qint64 first, qint64 last);
    void add(const RowRangeSet &other);
    bool contains(qint64 row) const;
    qint64 count() const { return m_count; }
    bool isEmpty() const { return m_ranges.empty(); }
    void clear();
    QList<Range> ranges() const;
    // Rows of this set that are not in `other`.
    RowRangeSet minus(const RowRangeSet &other) const;

    // "1-5,9,12-40". parse() refuses anything else (nullopt): reversed
    // ranges, signs, spaces, empty items; ranges may come in any order.
    QByteArray toText() const;
    void appendText(QByteArray &out) const; // toText() without a copy
    static std::optional<RowRangeSet> parse(QByteArrayView text);

private:
    std::map<qint64, qint64> m_ranges; // first -> last
    qint64 m_count = 0;
};

} // namespace headroom::run
