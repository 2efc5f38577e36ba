#pragma once

#include "ui/live/ChartSeriesBuffer.h"
#include "core/metrics/LaneSnapshot.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

class QChart;
class QGridLayout;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace headroom::ui {

// The Live panel: one chart per question an operator asks during a run
// (how much headroom is left, what is queued, how many 429s, how fast, how
// slow, is a lane paused), one line per lane and metric. Snapshots are
// buffered whole-run and drawn decimated from a 5 Hz timer with replace(),
// never point by point. The charts take their colours and fonts from the
// widget's palette and font, so they follow a light or dark system palette.
class LiveChartsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LiveChartsPanel(QWidget *parent = nullptr);
    ~LiveChartsPanel() override;

    void addSnapshots(const QList<metrics::LaneSnapshot> &lanes);
    void clear();
    // Redraws what changed since the last refresh (the timer calls it).
    void refresh();
    // One PNG per chart into `directory`; returns the files written.
    QStringList exportPng(const QString &directory, QString *error = nullptr);

    int chartCount() const { return int(m_plots.size()); }
    // Charts side by side: as many as fit at their readable width, up to three.
    int columnCount() const { return m_columns; }
    qsizetype pointCount() const;
    // The lanes drawn, in order of their first sample.
    QStringList lanes() const;
    // The highest value a lane's metric (its untranslated name, e.g. "Requests/s")
    // has had since the charts were cleared; -1 for none.
    double peak(const QString &lane, const QString &metric) const;
    // Whether the charts are drawn in dark colours (the palette's window is dark).
    bool isDark() const { return m_dark; }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void arrange();
    struct Metric
    {
        int plot;
        const char *name;
        std::function<double(const metrics::LaneSnapshot &)> value; // < 0: no sample
        bool secondary = false;
        bool dashed = false;
        int width = 2;          // above 2: a translucent band that lets a narrower line show through
        bool estimated = false; // the engine's own view, not the server's: dotted
    };
    struct Trace
    {
        QLineSeries *series = nullptr;
        ChartSeriesBuffer buffer;
        bool secondary = false;
        bool dashed = false;
        int width = 2;
        bool estimated = false;
        int colour = 0; // index into the line colours, per plot
    };
    // An axis's range as drawn: 0 to `end` in `ticks` ticks.
    struct AxisScale
    {
        double end = 0;
        int ticks = 0;
        int decimals = 0;
        bool operator==(const AxisScale &) const = default;
    };
    struct Plot
    {
        QString fileName;
        QChartView *view = nullptr;
        QChart *chart = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QValueAxis *y2 = nullptr;
        std::vector<Trace *> traces;
        bool dirty = false;
        // The scales the data asks for; applied a plot per refresh.
        AxisScale wantX;
        AxisScale wantY;
        AxisScale wantY2;
    };

    void addPlot(const QString &title, const QString &fileName, const QString &yTitle, const QString &y2Title = {});
    void addLane(const QString &lane);
    void applyPalette();
    void styleAxis(QValueAxis *axis) const;
    void styleTrace(Trace &trace) const;
    static AxisScale niceScale(double max, int maxIntervals = 5);
    // Applies the wanted scales of at most `plots` plots whose axes differ.
    void applyAxes(int plots);

    std::vector<Metric> m_metrics;
    std::vector<Plot> m_plots;
    std::vector<std::unique_ptr<Trace>> m_traces;
    QHash<QString, int> m_laneFirstTrace; // lane → index of its first trace in m_traces
    double m_lastX = 0;
    QWidget *m_content = nullptr; // the charts' grid, inside a scroll area
    QGridLayout *m_grid = nullptr;
    int m_columns = 0;
    size_t m_nextAxisPlot = 0;
    bool m_dark = false;
    QTimer m_refreshTimer;
};

} // namespace headroom::ui
