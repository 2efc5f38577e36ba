#pragma once

#include <QList>
#include <QPointF>

#include <vector>

namespace headroom::ui {

// Keeps every sample of one chart line for the whole run and hands the chart
// a decimated copy: for each of `buckets` equal slices of the x range, the
// slice's minimum and maximum in time order, so spikes (a burst of 429s)
// survive decimation and a one-hour run draws ~2 points per pixel column.
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
    std::vector<QPointF> m_points;
    double m_maxY = 0;
};

} // namespace headroom::ui
