#include "live/ChartSeriesBuffer.h"

#include <algorithm>
#include <cmath>

namespace headroom::ui {

void ChartSeriesBuffer::append(double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y))
        return;
    if (!m_points.empty() && x < m_points.back().x())
        x = m_points.back().x();
    m_points.emplace_back(x, y);
    m_maxY = std::max(m_maxY, y);
}

void ChartSeriesBuffer::clear()
{
    m_points.clear();
    m_maxY = 0;
    m_cache.clear();
    m_cacheWidth = 0;
    m_cacheEnd = 0;
}

void ChartSeriesBuffer::reduce(std::vector<QPointF>::const_iterator begin, std::vector<QPointF>::const_iterator end,
                               QList<QPointF> &out)
{
    if (begin == end)
        return;
    auto lo = begin;
    auto hi = begin;
    for (auto it = begin; it != end; ++it) {
        if (it->y() < lo->y())
            lo = it;
        if (it->y() > hi->y())
            hi = it;
    }
    // In time order, so the line does not fold back.
    if (lo == hi) {
        out.append(*lo);
    } else if (lo < hi) {
        out.append(*lo);
        out.append(*hi);
    } else {
        out.append(*hi);
        out.append(*lo);
    }
}

QList<QPointF> ChartSeriesBuffer::decimated(double xMin, double xMax, int buckets) const
{
    QList<QPointF> out;
    if (m_points.empty())
        return out;
    const auto begin = std::lower_bound(m_points.begin(), m_points.end(), xMin,
                                        [](const QPointF &p, double x) { return p.x() < x; });
    const auto end = std::upper_bound(begin, m_points.end(), xMax,
                                      [](double x, const QPointF &p) { return x < p.x(); });
    const auto count = end - begin;
    if (buckets <= 0 || count <= 2 * buckets || xMax <= xMin) {
        out.reserve(count);
        for (auto it = begin; it != end; ++it)
            out.append(*it);
        return out;
    }
    if (xMin == 0 && m_points.front().x() >= 0 && end == m_points.end()) {
        // The live case: the whole run so far. Stable buckets, cached.
        double width = 0.1;
        while (width * buckets < xMax)
            width *= 2;
        if (width != m_cacheWidth) {
            m_cache.clear();
            m_cacheWidth = width;
            m_cacheEnd = 0;
        }
        const auto bucketOf = [width](double x) { return qint64(x / width); };
        const qint64 lastBucket = bucketOf(m_points.back().x());
        auto it = m_points.cbegin() + qsizetype(m_cacheEnd);
        while (it != m_points.cend() && bucketOf(it->x()) < lastBucket) {
            const qint64 bucket = bucketOf(it->x());
            auto next = it;
            while (next != m_points.cend() && bucketOf(next->x()) == bucket)
                ++next;
            reduce(it, next, m_cache);
            it = next;
        }
        m_cacheEnd = size_t(it - m_points.cbegin());
        out = m_cache;
        reduce(it, m_points.cend(), out); // the bucket still filling
        return out;
    }
    out.reserve(2 * buckets + 2);
    const double width = (xMax - xMin) / buckets;
    auto it = begin;
    while (it != end) {
        const int bucket = std::min(buckets - 1, int((it->x() - xMin) / width));
        const double bucketEnd = xMin + (bucket + 1) * width;
        auto lo = it;
        auto hi = it;
        for (; it != end && (it->x() < bucketEnd || bucket == buckets - 1); ++it) {
            if (it->y() < lo->y())
                lo = it;
            if (it->y() > hi->y())
                hi = it;
        }
        // In time order, so the line does not fold back.
        if (lo == hi) {
            out.append(*lo);
        } else if (lo < hi) {
            out.append(*lo);
            out.append(*hi);
        } else {
            out.append(*hi);
            out.append(*lo);
        }
    }
    return out;
}

} // namespace headroom::ui
