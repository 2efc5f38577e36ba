#include "live/LiveChartsPanel.h"

#include <QChart>
#include <QChartView>
#include <QDir>
#include <QEvent>
#include <QGridLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>

namespace headroom::ui {

namespace {

enum PlotIndex { RemainingPlot, QueuePlot, ThrottlePlot, RetriesPlot, ThroughputPlot, LatencyPlot, StatePlot };

double breakerLevel(const QString &state)
{
    if (state == QLatin1String("open"))
        return 1;
    if (state == QLatin1String("half-open"))
        return 0.5;
    return 0;
}

// Only on change: every set re-lays the chart out.
void setLabelFormat(QValueAxis *axis, double max)
{
    const QString format = max < 5 ? QStringLiteral("%.1f") : QStringLiteral("%.0f");
    if (axis->labelFormat() != format)
        axis->setLabelFormat(format);
}

} // namespace

LiveChartsPanel::LiveChartsPanel(QWidget *parent)
    : QWidget(parent)
{
    using S = metrics::LaneSnapshot;
    m_metrics = {
        {RemainingPlot, QT_TR_NOOP("Remaining"), [](const S &s) { return double(s.remaining); }, false, false},
        {RemainingPlot, QT_TR_NOOP("Limit"), [](const S &s) { return double(s.limit); }, false, true},
        {QueuePlot, QT_TR_NOOP("Queued"), [](const S &s) { return double(s.queueDepth); }, false, false},
        {QueuePlot, QT_TR_NOOP("In flight"), [](const S &s) { return double(s.inFlight); }, false, false},
        {ThrottlePlot, QT_TR_NOOP("429/s"), [](const S &s) { return s.throttledPerS; }, false, false},
        {ThrottlePlot, QT_TR_NOOP("429s total"), [](const S &s) { return double(s.responses429); }, true, true},
        {RetriesPlot, QT_TR_NOOP("Retries total"), [](const S &s) { return double(s.retries); }, false, false},
        {ThroughputPlot, QT_TR_NOOP("Rows/s"), [](const S &s) { return s.rowsPerS; }, false, false},
        {ThroughputPlot, QT_TR_NOOP("Requests/s"), [](const S &s) { return s.sentPerS; }, false, false},
        {ThroughputPlot, QT_TR_NOOP("Limit/s"),
         [](const S &s) { return s.configuredLimitPerS >= 0 ? s.configuredLimitPerS : s.pacingRate; }, false, true},
        {LatencyPlot, QT_TR_NOOP("p50"), [](const S &s) { return s.latencyP50Ms; }, false, false},
        {LatencyPlot, QT_TR_NOOP("p95"), [](const S &s) { return s.latencyP95Ms; }, false, false},
        {StatePlot, QT_TR_NOOP("Paused"), [](const S &s) { return s.paused ? 1.0 : 0.0; }, false, false},
        {StatePlot, QT_TR_NOOP("Breaker"), [](const S &s) { return breakerLevel(s.breakerState); }, false, true},
    };

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    addPlot(tr("Headroom: X-RateLimit-Remaining against the limit"), QStringLiteral("remaining"), tr("requests"));
    addPlot(tr("Queue depth and in flight"), QStringLiteral("queue"), tr("calls"));
    addPlot(tr("429 responses"), QStringLiteral("throttled"), tr("per second"), tr("total"));
    addPlot(tr("Retries"), QStringLiteral("retries"), tr("total"));
    addPlot(tr("Throughput against the limit"), QStringLiteral("throughput"), tr("per second"));
    addPlot(tr("Latency"), QStringLiteral("latency"), tr("ms"));
    addPlot(tr("Lane pauses and breaker (1 = paused / open)"), QStringLiteral("state"), tr("state"));
    for (int i = 0; i < int(m_plots.size()); ++i)
        grid->addWidget(m_plots[size_t(i)].view, i / 2, i % 2);
    applyPalette();

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
    plot.chart->setMargins(QMargins(4, 4, 4, 4));
    plot.x = new QValueAxis;
    plot.x->setTitleText(tr("run time (s)"));
    plot.x->setLabelFormat(QStringLiteral("%.0f"));
    plot.x->setRange(0, 10);
    plot.chart->addAxis(plot.x, Qt::AlignBottom);
    plot.y = new QValueAxis;
    plot.y->setTitleText(yTitle);
    plot.y->setLabelFormat(QStringLiteral("%.0f"));
    plot.y->setRange(0, 1);
    plot.chart->addAxis(plot.y, Qt::AlignLeft);
    if (!y2Title.isEmpty()) {
        plot.y2 = new QValueAxis;
        plot.y2->setTitleText(y2Title);
        plot.y2->setLabelFormat(QStringLiteral("%.0f"));
        plot.y2->setRange(0, 1);
        plot.chart->addAxis(plot.y2, Qt::AlignRight);
    }
    plot.view = new QChartView(plot.chart, this);
    plot.view->setRenderHint(QPainter::Antialiasing, false); // antialiased lines cost ~2x the paint time (bench_ui_charts)
    plot.view->setMinimumSize(320, 200);
    plot.view->setFocusPolicy(Qt::StrongFocus); // reachable by Tab, so Ctrl+S exports what has focus
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
        plot.chart->addSeries(trace->series);
        trace->series->attachAxis(plot.x);
        trace->secondary = metric.secondary && plot.y2;
        trace->series->attachAxis(trace->secondary ? plot.y2 : plot.y);
        if (metric.dashed) {
            QPen pen = trace->series->pen();
            pen.setStyle(Qt::DashLine);
            trace->series->setPen(pen);
        }
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
            m_traces[size_t(first) + i]->buffer.append(snapshot.elapsedS, y);
            m_plots[size_t(m_metrics[i].plot)].dirty = true;
        }
        m_lastX = std::max(m_lastX, snapshot.elapsedS);
    }
}

void LiveChartsPanel::refresh()
{
    const double xMax = std::max(10.0, m_lastX);
    for (Plot &plot : m_plots) {
        if (!plot.dirty)
            continue;
        plot.dirty = false;
        const int buckets = std::max(50, plot.view->width() / 2); // ~2 points per pixel column after min/max
        double yMax = 1;
        double y2Max = 1;
        for (Trace *trace : plot.traces) {
            trace->series->replace(trace->buffer.decimated(0, xMax, buckets));
            (trace->secondary ? y2Max : yMax) = std::max(trace->secondary ? y2Max : yMax, trace->buffer.maxY());
        }
        plot.x->setRange(0, xMax);
        plot.x->applyNiceNumbers();
        // Whole numbers on busy axes, one decimal on small ones (0/1 states, a few 429s).
        plot.y->setRange(0, yMax * 1.1);
        setLabelFormat(plot.y, yMax);
        if (plot.y2) {
            plot.y2->setRange(0, y2Max * 1.1);
            setLabelFormat(plot.y2, y2Max);
        }
    }
}

void LiveChartsPanel::clear()
{
    for (Plot &plot : m_plots) {
        plot.chart->removeAllSeries();
        plot.traces.clear();
        plot.x->setRange(0, 10);
        plot.dirty = false;
    }
    m_traces.clear();
    m_laneFirstTrace.clear();
    m_lastX = 0;
}

qsizetype LiveChartsPanel::pointCount() const
{
    qsizetype n = 0;
    for (const auto &trace : m_traces)
        n += trace->series->count();
    return n;
}

QStringList LiveChartsPanel::exportPng(const QString &directory, QString *error) const
{
    QStringList written;
    if (!QDir().mkpath(directory)) {
        if (error)
            *error = tr("Cannot create %1.").arg(directory);
        return written;
    }
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
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

void LiveChartsPanel::applyPalette()
{
    // Follow the system light/dark palette rather than Qt Charts' fixed light theme.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    for (Plot &plot : m_plots) {
        const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
        if (plot.chart->theme() != theme)
            plot.chart->setTheme(theme);
        plot.chart->setBackgroundBrush(palette().color(QPalette::Base));
        plot.chart->setTitleBrush(palette().color(QPalette::Text));
        plot.chart->legend()->setLabelColor(palette().color(QPalette::Text));
    }
}

} // namespace headroom::ui
