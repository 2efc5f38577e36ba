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
