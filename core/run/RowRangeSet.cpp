#include "core/run/RowRangeSet.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace headroom::run {

void RowRangeSet::add(qint64 first, qint64 last)
{
    if (last < first)
        return;
    // Merge with every range that overlaps or touches [first, last].
    auto it = m_ranges.upper_bound(first);
    if (it != m_ranges.begin()) {
        auto prev = std::prev(it);
        if (prev->second >= first - 1)
            it = prev;
    }
    while (it != m_ranges.end() && it->first <= last + 1) {
        first = std::min(first, it->first);
        last = std::max(last, it->second);
        m_count -= it->second - it->first + 1;
        it = m_ranges.erase(it);
    }
    m_ranges.emplace(first, last);
    m_count += last - first + 1;
}

void RowRangeSet::add(const RowRangeSet &other)
{
    for (const auto &[first, last] : other.m_ranges)
        add(first, last);
}

bool RowRangeSet::contains(qint64 row) const
{
    auto it = m_ranges.upper_bound(row);
    if (it == m_ranges.begin())
        return false;
    --it;
    return row <= it->second;
}

void RowRangeSet::clear()
{
    m_ranges.clear();
    m_count = 0;
}

QList<RowRangeSet::Range> RowRangeSet::ranges() const
{
    QList<Range> out;
    out.reserve(qsizetype(m_ranges.size()));
    for (const auto &r : m_ranges)
        out << r;
    return out;
}

RowRangeSet RowRangeSet::minus(const RowRangeSet &other) const
{
    RowRangeSet out;
    for (const auto &[first, last] : m_ranges) {
        qint64 from = first;
        auto it = other.m_ranges.upper_bound(first);
        if (it != other.m_ranges.begin())
            --it;
        for (; it != other.m_ranges.end() && it->first <= last && from <= last; ++it) {
            if (it->second < from)
                continue;
            if (it->first > from)
                out.add(from, it->first - 1);
            from = std::max(from, it->second + 1);
        }
        if (from <= last)
            out.add(from, last);
    }
    return out;
}

QByteArray RowRangeSet::toText() const
{
    QByteArray out;
    appendText(out);
    return out;
}

void RowRangeSet::appendText(QByteArray &out) const
{
    // Once per journal record, so per request: no QByteArray per number.
    char digits[48];
    bool first = true;
    for (const auto &[from, to] : m_ranges) {
        char *end = digits;
        if (!first)
            *end++ = ',';
        first = false;
        end = std::to_chars(end, digits + sizeof digits, from).ptr;
        if (to != from) {
            *end++ = '-';
            end = std::to_chars(end, digits + sizeof digits, to).ptr;
        }
        out.append(digits, end - digits);
    }
}

std::optional<RowRangeSet> RowRangeSet::parse(QByteArrayView text)
{
    RowRangeSet out;
    if (text.isEmpty())
        return out;
    qsizetype pos = 0;
    auto number = [&](qint64 *value) {
        const qsizetype start = pos;
        qint64 v = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (v > (std::numeric_limits<qint64>::max() - 9) / 10)
                return false;
            v = v * 10 + (text[pos] - '0');
            ++pos;
        }
        *value = v;
        return pos > start && pos - start <= 18;
    };
    for (;;) {
        qint64 first = 0;
        qint64 last = 0;
        if (!number(&first))
            return std::nullopt;
        last = first;
        if (pos < text.size() && text[pos] == '-') {
            ++pos;
            if (!number(&last) || last < first)
                return std::nullopt;
        }
        out.add(first, last);
        if (pos == text.size())
            return out;
        if (text[pos] != ',')
            return std::nullopt;
        ++pos;
    }
}

} // namespace headroom::run
