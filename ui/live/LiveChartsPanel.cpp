#include "ui/live/LiveChartsPanel.h"

#include <QChart>
#include <QChartView>
#include <QDir>
#include <QEvent>
#include <QGridLayout>
#include <QGraphicsLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <utility>

namespace headroom::ui {

namespace {

enum PlotIndex { RemainingPlot,
                 QueuePlot,
                 ThrottlePlot,
                 RetriesPlot,
                 ThroughputPlot,
                 LatencyPlot,
                 StatePlot };

double breakerLevel(const QString &state)
{
    if (state == QLatin1String("open"))
        return 1;
    if (state == QLatin1String("half-open"))
        return 0.5;
    return 0;
}

// A value range 0..end in ticks of a nice step (1, 2, 2.5, 4 or 5 × 10^n, at most
// `maxIntervals` of them), so an axis changes a few times per decade of its data
// rather than every frame: each change re-lays a chart out, recomputes and
// re-strokes its series and repaints it whole, which costs more than the
// decimation itself (bench_ui_charts).
} // namespace

LiveChartsPanel::AxisScale LiveChartsPanel::niceScale(double max, int maxIntervals)
{
    max = std::max(max, 1e-6);
    const double raw = max / maxIntervals;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * magnitude;
    for (const double m : {1.0, 2.0, 2.5, 4.0, 5.0}) {
        if ((m == 2.5 || m == 4.0) && magnitude < 10)
            continue; // 0.25 needs a decimal more than its neighbours; 0.4, 0.8 for a 0/1 state read oddly
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    }
    const int intervals = std::max(1, int(std::ceil(max / step - 1e-9)));
    int decimals = 0;
    while (decimals < 3 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-6)
        ++decimals;
    return {intervals * step, intervals + 1, decimals};
}

namespace {

// Run time drawn: ahead of the data, so an axis waiting for its turn (a plot
// per refresh) does not cut off the newest samples.
double xWanted(double xMax)
{
    return std::max(xMax * 1.05, xMax + 2);
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

// Line colours told apart by people with the common colour-vision
// deficiencies (Okabe–Ito), and lighter variants that read on a dark background.
QColor lineColour(int index, bool dark)
{
    static const QRgb light[] = {0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9};
    static const QRgb darkened[] = {0x56B4E9, 0xFF9F5A, 0x3DDC97, 0xE8A6D4, 0xF0E442, 0x9ECAE1};
    const QRgb *colours = dark ? darkened : light;
    return QColor(colours[index % 6]);
}

} // namespace

LiveChartsPanel::LiveChartsPanel(QWidget *parent)
    : QWidget(parent)
{
    using S = metrics::LaneSnapshot;
    m_metrics = {
        // What the server reports, and otherwise the engine's own count, drawn
        // dotted and named so that no one reads it as the server's word.
        {RemainingPlot, QT_TR_NOOP("Remaining"), [](const S &s) { return double(s.remaining); }, false, false},
        {RemainingPlot, QT_TR_NOOP("Remaining, estimated"), [](const S &s) { return double(s.estimatedRemaining); },
         false, false, 2, true},
        {RemainingPlot, QT_TR_NOOP("Limit"), [](const S &s) { return double(s.limit); }, false, true},
        {QueuePlot, QT_TR_NOOP("Queued"), [](const S &s) { return double(s.queueDepth); }, false, false},
        {QueuePlot, QT_TR_NOOP("In flight"), [](const S &s) { return double(s.inFlight); }, false, false},
        {ThrottlePlot, QT_TR_NOOP("429/s"), [](const S &s) { return s.throttledPerS; }, false, false},
        {ThrottlePlot, QT_TR_NOOP("429s total"), [](const S &s) { return double(s.responses429); }, true, true},
        {RetriesPlot, QT_TR_NOOP("Retries total"), [](const S &s) { return double(s.retries); }, false, false},
        // A wide translucent band: unbatched Rows/s and Requests/s are equal and
        // one line would hide the other whichever is drawn last.
        {ThroughputPlot, QT_TR_NOOP("Rows/s"), [](const S &s) { return s.rowsPerS; }, false, false, 6},
        {ThroughputPlot, QT_TR_NOOP("Requests/s"), [](const S &s) { return s.sentPerS; }, false, false},
        // With a shared budget, Requests/s is this process's share of it.
        {ThroughputPlot, QT_TR_NOOP("Shared budget, all processes/s"), [](const S &s) { return s.budgetUsePerS; }, false, false},
        {ThroughputPlot, QT_TR_NOOP("Limit/s"),
         [](const S &s) { return s.configuredLimitPerS >= 0 ? s.configuredLimitPerS : s.pacingRate; }, false, true},
        {LatencyPlot, QT_TR_NOOP("p50"), [](const S &s) { return s.latencyP50Ms; }, false, false},
        {LatencyPlot, QT_TR_NOOP("p95"), [](const S &s) { return s.latencyP95Ms; }, false, false},
        {StatePlot, QT_TR_NOOP("Paused"), [](const S &s) { return s.paused ? 1.0 : 0.0; }, false, false},
        {StatePlot, QT_TR_NOOP("Breaker"), [](const S &s) { return breakerLevel(s.breakerState); }, false, true},
    };

    // The charts keep a readable height (see applyPalette) and scroll when the
    // window is too short for all seven, rather than squeezing their axes into "…".
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_content = new QWidget(scroll);
    m_grid = new QGridLayout(m_content);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(2);
    addPlot(tr("Headroom: requests left"), QStringLiteral("remaining"), tr("requests")); // the legend says "Limit"
    addPlot(tr("Queue depth and in flight"), QStringLiteral("queue"), tr("calls"));
    // Rates are counts of the exact trailing window of each lane's limit over
    // its length (LaneSnapshot::rateWindowS), never a difference of samples.
    addPlot(tr("429s in the trailing window"), QStringLiteral("throttled"), tr("per s"), tr("total"));
    addPlot(tr("Retries"), QStringLiteral("retries"), tr("total"));
    addPlot(tr("Throughput in the trailing window"), QStringLiteral("throughput"), tr("per s"));
    addPlot(tr("Latency"), QStringLiteral("latency"), tr("ms"));
    addPlot(tr("Paused lanes, open breakers"), QStringLiteral("state"), tr("1 = yes"));
    scroll->setWidget(m_content);
    outer->addWidget(scroll);
    applyPalette();
    arrange();
    applyAxes(int(m_plots.size()));

    m_refreshTimer.setInterval(200);
    connect(&m_refreshTimer, &QTimer::timeout, this, &LiveChartsPanel::refresh);
    m_refreshTimer.start();
}

LiveChartsPanel::~LiveChartsPanel() = default;

void LiveChartsPanel::addPlot(const QString &title, const QString &fileName, const QString &yTitle, const QString &y2Title)
{
    Plot plot;
    plot.fileName = fileName;
    plot.chart = new QChart;
    plot.chart->setTitle(title);
    plot.chart->setAnimationOptions(QChart::NoAnimation);
    plot.chart->legend()->setAlignment(Qt::AlignBottom);
    // Little chrome around the plot: at the default window size seven charts
    // share ~600 pixels of height.
    plot.chart->setMargins(QMargins(2, 2, 2, 2));
    plot.chart->layout()->setContentsMargins(0, 0, 0, 0);
    plot.chart->legend()->setContentsMargins(0, 0, 0, 0);
    plot.chart->setBackgroundRoundness(0);
    plot.x = new QValueAxis; // run time: its labels carry the unit instead of a title line
    plot.chart->addAxis(plot.x, Qt::AlignBottom);
    plot.y = new QValueAxis;
    plot.y->setTitleText(yTitle);
    plot.chart->addAxis(plot.y, Qt::AlignLeft);
    if (!y2Title.isEmpty()) {
        plot.y2 = new QValueAxis;
        plot.y2->setTitleText(y2Title);
        plot.chart->addAxis(plot.y2, Qt::AlignRight);
    }
    plot.wantX = niceScale(xWanted(10));
    plot.wantY = plot.wantY2 = niceScale(1.05, 3);
    plot.view = new QChartView(plot.chart, m_content);
    plot.view->setRenderHint(QPainter::Antialiasing, false); // antialiased lines make each repaint markedly slower (bench_ui_charts)
    // Reachable by Tab (the scroll area scrolls a focused chart into view);
    // screen readers name it by its title.
    plot.view->setFocusPolicy(Qt::StrongFocus);
    plot.view->setAccessibleName(title);
    m_plots.push_back(plot);
}

void LiveChartsPanel::addLane(const QString &lane)
{
    m_laneFirstTrace.insert(lane, int(m_traces.size()));
    const bool firstLane = m_laneFirstTrace.size() == 1;
    for (const Metric &metric : m_metrics) {
        auto trace = std::make_unique<Trace>();
        Plot &plot = m_plots[size_t(metric.plot)];
        trace->series = new QLineSeries;
        const QString name = tr(metric.name);
        trace->series->setName(firstLane ? name : QStringLiteral("%1 · %2").arg(name, lane));
        // Hidden (and out of the legend) until its first sample: a lane
        // without a shared budget, or a server that sends no X-RateLimit-Remaining,
        // would otherwise crowd the legend with lines that never appear.
        trace->series->setVisible(false);
        plot.chart->addSeries(trace->series);
        trace->series->attachAxis(plot.x);
        trace->secondary = metric.secondary && plot.y2;
        trace->series->attachAxis(trace->secondary ? plot.y2 : plot.y);
        trace->dashed = metric.dashed;
        trace->width = metric.width;
        trace->estimated = metric.estimated;
        trace->colour = int(plot.traces.size());
        styleTrace(*trace);
        plot.traces.push_back(trace.get());
        m_traces.push_back(std::move(trace));
    }
}

void LiveChartsPanel::addSnapshots(const QList<metrics::LaneSnapshot> &lanes)
{
    for (const metrics::LaneSnapshot &snapshot : lanes) {
        if (!m_laneFirstTrace.contains(snapshot.lane))
            addLane(snapshot.lane);
        const int first = m_laneFirstTrace.value(snapshot.lane);
        for (size_t i = 0; i < m_metrics.size(); ++i) {
            const double y = m_metrics[i].value(snapshot);
            if (y < 0)
                continue; // the server never said
            Trace &trace = *m_traces[size_t(first) + i];
            if (trace.buffer.isEmpty())
                trace.series->setVisible(true);
            trace.buffer.append(snapshot.elapsedS, y);
            m_plots[size_t(m_metrics[i].plot)].dirty = true;
        }
        m_lastX = std::max(m_lastX, snapshot.elapsedS);
    }
}

void LiveChartsPanel::refresh()
{
    const double xMax = std::max(10.0, m_lastX);
    const AxisScale wantX = niceScale(xWanted(xMax));
    for (Plot &plot : m_plots) {
        plot.wantX = wantX;
        if (!plot.dirty)
            continue;
        plot.dirty = false;
        // ~2 points per pixel column after min/max for a plot of one or two
        // lines; a plot of several imports' lines shares that, since the
        // frame's cost grows with the points drawn and overlapping lines
        // show no finer detail.
        const int perTrace = plot.view->width() / std::max(2, int(plot.traces.size()));
        const int buckets = std::max(50, std::min(plot.view->width() / 2, perTrace));
        double yMax = 1;
        double y2Max = 1;
        for (Trace *trace : plot.traces) {
            trace->series->replace(trace->buffer.decimated(0, xMax, buckets));
            // Finer buckets after a resize are built over several refreshes.
            plot.dirty = plot.dirty || trace->buffer.isCatchingUp();
            (trace->secondary ? y2Max : yMax) = std::max(trace->secondary ? y2Max : yMax, trace->buffer.maxY());
        }
        // As many y ticks as the height has room for: labels closer than a
        // line apart are drawn as "…".
        const double lines = plot.view->height() / double(plot.view->fontMetrics().height());
        const int yIntervals = std::clamp(int((lines - 5) / 1.8), 2, 5);
        plot.wantY = niceScale(yMax * 1.05, yIntervals);
        plot.wantY2 = niceScale(y2Max * 1.05, yIntervals);
    }
    // One plot's axes per refresh: when the run's length passes a tick step,
    // all seven want a new x axis at once, and seven re-layouts and full
    // repaints in one frame cost more than the frame has.
    applyAxes(1);
}

void LiveChartsPanel::applyAxes(int plots)
{
    //: Label of the run-time axis of the Live charts; %1 is a printf number format.
    const QString timeFormat = tr("%1 s");
    const auto apply = [&timeFormat](QValueAxis *axis, const AxisScale &scale, bool time) {
        QString format = QStringLiteral("%.%1f").arg(scale.decimals);
        if (time)
            format = timeFormat.arg(format);
        if (axis->max() == scale.end && axis->min() == 0 && axis->tickCount() == scale.ticks
            && axis->labelFormat() == format)
            return false;
        axis->setLabelFormat(format);
        axis->setTickCount(scale.ticks);
        axis->setRange(0, scale.end);
        return true;
    };
    for (size_t n = 0; n < m_plots.size() && plots > 0; ++n) {
        const size_t i = (m_nextAxisPlot + n) % m_plots.size();
        Plot &plot = m_plots[i];
        bool changed = apply(plot.x, plot.wantX, true);
        changed = apply(plot.y, plot.wantY, false) || changed;
        if (plot.y2)
            changed = apply(plot.y2, plot.wantY2, false) || changed;
        if (changed) {
            --plots;
            m_nextAxisPlot = i + 1;
        }
    }
}

void LiveChartsPanel::clear()
{
    for (Plot &plot : m_plots) {
        plot.chart->removeAllSeries();
        plot.traces.clear();
        plot.dirty = false;
        plot.wantX = niceScale(xWanted(10));
        plot.wantY = plot.wantY2 = niceScale(1.05, 3);
    }
    applyAxes(int(m_plots.size()));
    m_traces.clear();
    m_laneFirstTrace.clear();
    m_lastX = 0;
}

QStringList LiveChartsPanel::lanes() const
{
    QStringList lanes = m_laneFirstTrace.keys();
    std::sort(lanes.begin(), lanes.end(),
              [this](const QString &a, const QString &b) { return m_laneFirstTrace[a] < m_laneFirstTrace[b]; });
    return lanes;
}

double LiveChartsPanel::peak(const QString &lane, const QString &metric) const
{
    const auto first = m_laneFirstTrace.constFind(lane);
    if (first == m_laneFirstTrace.cend())
        return -1;
    for (size_t i = 0; i < m_metrics.size(); ++i) {
        const ChartSeriesBuffer &buffer = m_traces[size_t(*first) + i]->buffer;
        if (QLatin1String(m_metrics[i].name) == metric)
            return buffer.isEmpty() ? -1 : buffer.maxY();
    }
    return -1;
}

qsizetype LiveChartsPanel::pointCount() const
{
    qsizetype n = 0;
    for (const auto &trace : m_traces)
        n += trace->series->count();
    return n;
}

QStringList LiveChartsPanel::exportPng(const QString &directory, QString *error)
{
    QStringList written;
    if (!QDir().mkpath(directory)) {
        if (error)
            *error = tr("Cannot create %1.").arg(directory);
        return written;
    }
    applyAxes(int(m_plots.size())); // no axis still waiting for its turn
    for (const Plot &plot : m_plots) {
        const QString path = QDir(directory).filePath(QStringLiteral("chart-%1.png").arg(plot.fileName));
        if (!plot.view->grab().save(path, "PNG")) {
            if (error)
                *error = tr("Cannot write %1.").arg(path);
            continue;
        }
        written << path;
    }
    return written;
}

void LiveChartsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange
        || event->type() == QEvent::FontChange || event->type() == QEvent::ApplicationFontChange) {
        applyPalette();
        arrange(); // the readable width follows the font
    }
    QWidget::changeEvent(event);
}

void LiveChartsPanel::resizeEvent(QResizeEvent *event)
{
    for (Plot &plot : m_plots)
        plot.dirty = plot.dirty || !plot.traces.empty(); // more or fewer buckets
    QWidget::resizeEvent(event);
    arrange();
}

void LiveChartsPanel::arrange()
{
    // Two columns left the seventh chart below the fold of a 1400 x 900
    // window; three fit all of them at their readable size (applyPalette).
    const int chartWidth = m_plots.empty() ? 1 : std::max(1, m_plots.front().view->minimumWidth());
    const int columns = std::clamp((width() + m_grid->spacing()) / (chartWidth + m_grid->spacing()), 1, 3);
    if (columns == m_columns)
        return;
    m_columns = columns;
    for (const Plot &plot : m_plots)
        m_grid->removeWidget(plot.view);
    for (int i = 0; i < int(m_plots.size()); ++i)
        m_grid->addWidget(m_plots[size_t(i)].view, i / columns, i % columns);
    for (int c = 0; c < 3; ++c)
        m_grid->setColumnStretch(c, c < columns ? 1 : 0);
}

void LiveChartsPanel::applyPalette()
{
    // Qt 6.4 has no QStyleHints::colorScheme(): a dark window colour is the sign.
    const QPalette &p = palette();
    m_dark = p.color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = m_dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    QFont titleFont = font();
    titleFont.setBold(true);
    for (Plot &plot : m_plots) {
        // A theme resets every colour, pen and font below, so it goes first.
        if (plot.chart->theme() != theme)
            plot.chart->setTheme(theme);
        plot.chart->setBackgroundBrush(p.color(QPalette::Base));
        plot.chart->setBackgroundPen(Qt::NoPen);
        plot.chart->setPlotAreaBackgroundVisible(false);
        plot.chart->setTitleBrush(p.color(QPalette::Text));
        plot.chart->setTitleFont(titleFont);
        plot.chart->legend()->setLabelColor(p.color(QPalette::Text));
        plot.chart->legend()->setFont(font());
        for (QValueAxis *axis : {plot.x, plot.y, plot.y2}) {
            if (axis)
                styleAxis(axis);
        }
        plot.view->setBackgroundBrush(p.color(QPalette::Base));
        // Room for a title, a legend row, tick labels and a plot of ~5 lines at
        // any font size; 18 x 10.5 lines lets three rows of three columns share
        // the default window's Live area (874 x 491 px at 1x and at 2x, arrange()).
        const int line = fontMetrics().height();
        plot.view->setMinimumSize(18 * line, 21 * line / 2);
    }
    for (const auto &trace : m_traces)
        styleTrace(*trace);
}

void LiveChartsPanel::styleAxis(QValueAxis *axis) const
{
    const QPalette &p = palette();
    const QColor text = p.color(QPalette::Text);
    const QColor base = p.color(QPalette::Base);
    axis->setLabelsBrush(text);
    axis->setLabelsFont(font());
    axis->setTitleBrush(text);
    axis->setTitleFont(font());
    axis->setLinePen(QPen(mix(base, text, 0.45), 1));
    axis->setGridLineColor(mix(base, text, 0.15));
    axis->setMinorGridLineVisible(false);
    axis->setShadesVisible(false);
}

void LiveChartsPanel::styleTrace(Trace &trace) const
{
    const QPalette &p = palette();
    QPen pen(trace.dashed ? mix(p.color(QPalette::Base), p.color(QPalette::Text), 0.6) : lineColour(trace.colour, m_dark));
    pen.setWidth(trace.width);
    if (trace.width > 2) {
        QColor band = pen.color();
        band.setAlpha(110);
        pen.setColor(band);
    }
    if (trace.dashed)
        pen.setStyle(Qt::DashLine);
    else if (trace.estimated)
        pen.setStyle(Qt::DotLine);
    trace.series->setPen(pen);
}

} // namespace headroom::ui
