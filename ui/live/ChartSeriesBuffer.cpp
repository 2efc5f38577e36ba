#include "ui/live/ChartSeriesBuffer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::ui {

namespace {

// The one bucket loop, for raw samples and for cached points alike: reduces
// whole buckets from `it` to their minimum and maximum, stopping at the first
// point of bucket `stop` or later, at `end`, or after the bucket in which more
// than `budget` points were passed (0: no budget). Returns where it stopped.
// `bucketOf` must not decrease along [it, end).
template <typename Iterator, typename BucketOf>
Iterator reduceBuckets(Iterator it, Iterator end, const BucketOf &bucketOf, qint64 stop, qsizetype budget,
                       QList<QPointF> &out)
{
    const Iterator start = it;
    while (it != end) {
        const qint64 bucket = bucketOf(it->x());
        if (bucket >= stop)
            break;
        Iterator lo = it;
        Iterator hi = it;
        for (++it; it != end && bucketOf(it->x()) == bucket; ++it) {
            if (it->y() < lo->y())
                lo = it;
            if (it->y() > hi->y())
                hi = it;
        }
        // In time order, so the line does not fold back. The first of equal
        // extremes wins, which is what makes merged buckets equal fresh ones.
        if (lo == hi) {
            out.append(*lo);
        } else if (lo < hi) {
            out.append(*lo);
            out.append(*hi);
        } else {
            out.append(*hi);
            out.append(*lo);
        }
        if (budget > 0 && it - start > budget)
            break;
    }
    return it;
}

constexpr qint64 kNoStop = std::numeric_limits<qint64>::max();

} // namespace

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
    m_shown = {};
    m_pending = {};
}

bool ChartSeriesBuffer::advance(Level &level, qsizetype budget) const
{
    const auto bucketOf = [width = level.width](double x) { return qint64(x / width); };
    const qint64 last = bucketOf(m_points.back().x()); // still filling: never cached
    const auto it = reduceBuckets(m_points.cbegin() + qsizetype(level.end), m_points.cend(), bucketOf, last, budget,
                                  level.points);
    level.end = size_t(it - m_points.cbegin());
    return it == m_points.cend() || bucketOf(it->x()) >= last;
}

void ChartSeriesBuffer::coarsen(Level &level, double width) const
{
    // Both widths are 0.1 s × 2^k, so x / width is exactly (x / level.width) / 2^j
    // and every fine bucket lies inside one coarse bucket. A coarse bucket's
    // extremes are among its fine buckets' extremes, so reducing the cached
    // points gives the same points as reducing the samples.
    const auto bucketOf = [width](double x) { return qint64(x / width); };
    qint64 stop = bucketOf(m_points.back().x());
    if (level.end < m_points.size())
        stop = std::min(stop, bucketOf(m_points[level.end].x())); // partly cached: rescan it from the samples
    QList<QPointF> merged;
    merged.reserve(level.points.size() / 2 + 2);
    reduceBuckets(level.points.cbegin(), level.points.cend(), bucketOf, stop, 0, merged);
    level.points = std::move(merged);
    level.width = width;
    level.end = size_t(std::partition_point(m_points.cbegin(), m_points.cend(),
                                            [&](const QPointF &p) { return bucketOf(p.x()) < stop; })
                       - m_points.cbegin());
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
        if (m_shown.width == 0 || width == m_shown.width) {
            m_shown.width = width; // the first call scans every sample once
            m_pending = {};
        } else if (width > m_shown.width) {
            coarsen(m_shown, width);
            m_pending = {};
        } else {
            // Finer buckets cannot come from coarser ones: build them from the
            // samples over several calls and show the coarser ones meanwhile.
            if (m_pending.width != width)
                m_pending = Level{width, {}, 0};
            if (advance(m_pending, kRebuildSamplesPerCall)) {
                m_shown = std::move(m_pending);
                m_pending = {};
            }
        }
        advance(m_shown, 0);
        out = m_shown.points;
        // The bucket still filling, as one bucket.
        reduceBuckets(
            m_points.cbegin() + qsizetype(m_shown.end), m_points.cend(), [](double) { return qint64(0); },
            kNoStop, 0, out);
        return out;
    }
    out.reserve(2 * buckets + 2);
    const double width = (xMax - xMin) / buckets;
    const auto bucketOf = [xMin, width, last = qint64(buckets - 1)](double x) {
        return std::min(last, qint64((x - xMin) / width));
    };
    reduceBuckets(begin, end, bucketOf, kNoStop, 0, out);
    return out;
}

} // namespace headroom::ui
