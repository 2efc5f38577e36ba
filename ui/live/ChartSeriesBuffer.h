#pragma once

#include <QList>
#include <QPointF>

#include <vector>

namespace headroom::ui {

// Keeps every sample of one chart line for the whole run and hands the chart
// a decimated copy: for each of `buckets` equal slices of the x range, the
// slice's minimum and maximum in time order, so spikes (a burst of 429s)
// survive decimation and a one-hour run draws ~2 points per pixel column.
// From x = 0 the bucket width is rounded up to 0.1 s × 2^k, so buckets stay
// put while the run grows: finished buckets are cached and each frame only
// scans the samples added since the last one.
class ChartSeriesBuffer
{
public:
    // x must not decrease (run time in seconds).
    void append(double x, double y);
    void clear();

    qsizetype size() const { return qsizetype(m_points.size()); }
    bool isEmpty() const { return m_points.empty(); }
    double lastX() const { return m_points.empty() ? 0 : m_points.back().x(); }
    double maxY() const { return m_maxY; }

    QList<QPointF> decimated(double xMin, double xMax, int buckets) const;

private:
    static void reduce(std::vector<QPointF>::const_iterator begin, std::vector<QPointF>::const_iterator end,
                       QList<QPointF> &out);

    std::vector<QPointF> m_points;
    double m_maxY = 0;
    // The decimation of whole buckets, for the current bucket width.
    mutable QList<QPointF> m_cache;
    mutable double m_cacheWidth = 0;
    mutable size_t m_cacheEnd = 0; // first sample not in a cached bucket
};

} // namespace headroom::ui
