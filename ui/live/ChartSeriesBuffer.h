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
// scans the samples added since the last one. Because the widths nest, the
// cache of a coarser width (the run doubled) is merged from the finer one in
// one pass over the cached points; a finer width (the chart grew) is built
// from the samples a slice per call while the coarser one is still shown, so
// no single frame rescans the whole run.
class ChartSeriesBuffer
{
public:
    // Samples scanned per decimated() call while a finer cache is being built.
    static constexpr qsizetype kRebuildSamplesPerCall = 4096;

    // x must not decrease (run time in seconds).
    void append(double x, double y);
    void clear();

    qsizetype size() const { return qsizetype(m_points.size()); }
    bool isEmpty() const { return m_points.empty(); }
    double lastX() const { return m_points.empty() ? 0 : m_points.back().x(); }
    double maxY() const { return m_maxY; }

    QList<QPointF> decimated(double xMin, double xMax, int buckets) const;
    // A finer cache is still being built: call decimated() again (the answer
    // so far comes from the coarser width).
    bool isCatchingUp() const { return m_pending.width > 0; }
    // Bucket width of the answer for the whole run so far (0 before the first).
    double cachedBucketWidth() const { return m_shown.width; }

private:
    // The decimation of the whole buckets [0, bucket of the sample at `end`)
    // for one bucket width.
    struct Level
    {
        double width = 0; // 0: none
        QList<QPointF> points;
        size_t end = 0; // first sample not in `points`
    };

    // Adds the whole buckets after level.end to the level, at most about
    // `budget` samples (0: all); true when it has caught up with the last sample.
    bool advance(Level &level, qsizetype budget) const;
    // Re-buckets a level into a coarser width it nests in, from its points.
    void coarsen(Level &level, double width) const;

    std::vector<QPointF> m_points;
    double m_maxY = 0;
    mutable Level m_shown;   // the width answers come from
    mutable Level m_pending; // a finer width being built (the chart grew)
};

} // namespace headroom::ui
