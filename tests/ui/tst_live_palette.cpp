// The Live charts follow the application palette and font: a dark palette
// gives dark charts with light text, and back; line styles survive the switch.
#include "ui/live/LiveChartsPanel.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTest>
#include <QValueAxis>

using headroom::ui::LiveChartsPanel;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x33, 0x33, 0x33));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    return p;
}

headroom::metrics::LaneSnapshot snapshot(double t)
{
    headroom::metrics::LaneSnapshot s;
    s.lane = QStringLiteral("track");
    s.elapsedS = t;
    s.limit = 100;
    s.remaining = 40;
    s.queueDepth = 3;
    s.inFlight = 5;
    s.sentPerS = 90;
    s.rowsPerS = 90;
    s.configuredLimitPerS = 100;
    s.latencyP50Ms = 100;
    s.latencyP95Ms = 200;
    s.breakerState = QStringLiteral("closed");
    return s;
}

int contrast(const QColor &a, const QColor &b)
{
    return std::abs(a.lightness() - b.lightness());
}

} // namespace

class TestLivePalette : public QObject
{
    Q_OBJECT

private:
    // Every chart reads in `palette`: its background is the palette's base,
    // text is the palette's text, lines stand out from the background.
    void checkCharts(const LiveChartsPanel &panel, const QPalette &palette, bool dark)
    {
        const QColor base = palette.color(QPalette::Base);
        const QColor text = palette.color(QPalette::Text);
        const auto views = panel.findChildren<QChartView *>();
        QCOMPARE(int(views.size()), panel.chartCount());
        for (const QChartView *view : views) {
            const QChart *chart = view->chart();
            QCOMPARE(chart->theme(), dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
            QCOMPARE(chart->backgroundBrush().color(), base);
            QCOMPARE(chart->titleBrush().color(), text);
            QCOMPARE(chart->legend()->labelColor(), text);
            for (QAbstractAxis *axis : chart->axes()) {
                auto *value = qobject_cast<QValueAxis *>(axis);
                QVERIFY(value);
                QCOMPARE(value->labelsBrush().color(), text);
                QCOMPARE(value->titleBrush().color(), text);
                QVERIFY2(contrast(value->gridLineColor(), base) >= 15, "grid lines must show");
                QVERIFY2(contrast(value->gridLineColor(), base) < contrast(text, base), "grid lines quieter than text");
            }
            for (const QAbstractSeries *series : chart->series()) {
                const auto *line = qobject_cast<const QLineSeries *>(series);
                QVERIFY(line);
                QVERIFY2(contrast(line->pen().color(), base) >= 60,
                         qPrintable(QStringLiteral("%1 on %2").arg(line->pen().color().name(), base.name())));
                // Rows/s is a translucent band, so Requests/s shows through when they are equal.
                const bool band = line->name().startsWith(QLatin1String("Rows/s"));
                QCOMPARE(line->pen().width(), band ? 6 : 2);
                QCOMPARE(line->pen().color().alpha(), band ? 110 : 255);
            }
        }
    }

    int dashedSeries(const LiveChartsPanel &panel)
    {
        int n = 0;
        for (const QChartView *view : panel.findChildren<QChartView *>()) {
            for (const QAbstractSeries *series : view->chart()->series())
                n += qobject_cast<const QLineSeries *>(series)->pen().style() == Qt::DashLine;
        }
        return n;
    }

private slots:
    void chartsFollowALightThenDarkThenLightPalette()
    {
        const QPalette light = QApplication::palette();
        QVERIFY2(light.color(QPalette::Window).lightness() >= 128, "the test starts from a light palette");
        LiveChartsPanel panel;
        panel.resize(1000, 700);
        panel.show();
        panel.addSnapshots({snapshot(1), snapshot(2)});
        panel.refresh();
        QVERIFY(!panel.isDark());
        checkCharts(panel, light, false);
        const int dashed = dashedSeries(panel);
        QCOMPARE(dashed, 4); // the limit lines, 429s total, breaker

        QApplication::setPalette(darkPalette());
        QTRY_VERIFY_WITH_TIMEOUT(panel.isDark(), 1000);
        checkCharts(panel, darkPalette(), true);
        QCOMPARE(dashedSeries(panel), dashed); // a theme change resets pens; they are styled again

        // A lane that arrives while dark is drawn dark too.
        auto other = snapshot(3);
        other.lane = QStringLiteral("segment");
        panel.addSnapshots({other});
        panel.refresh();
        checkCharts(panel, darkPalette(), true);

        QApplication::setPalette(light);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isDark(), 1000);
        checkCharts(panel, light, false);
        QCOMPARE(dashedSeries(panel), 2 * dashed);
    }

    void chartTextFollowsTheApplicationFont()
    {
        LiveChartsPanel panel;
        QFont big = QApplication::font();
        big.setPointSizeF(big.pointSizeF() * 2);
        QApplication::setFont(big);
        QTRY_COMPARE_WITH_TIMEOUT(panel.findChild<QChartView *>()->chart()->axes().constFirst()->labelsFont().pointSizeF(),
                                  big.pointSizeF(), 1000);
        QVERIFY(panel.findChild<QChartView *>()->chart()->titleFont().bold());
        // Room for the larger text: the minimum size grows with the font.
        QVERIFY(panel.findChild<QChartView *>()->minimumHeight() >= 10 * QFontMetrics(big).height());
    }

    void aLineAppearsWithItsFirstSample()
    {
        LiveChartsPanel panel;
        auto s = snapshot(1);
        s.remaining = -1; // the server sent no X-RateLimit-Remaining
        panel.addSnapshots({s});
        const auto views = panel.findChildren<QChartView *>();
        int hidden = 0;
        for (const QChartView *view : views) {
            for (const QAbstractSeries *series : view->chart()->series()) {
                if (!series->isVisible()) {
                    ++hidden;
                    QVERIFY(series->name() == LiveChartsPanel::tr("Remaining")
                            || series->name() == LiveChartsPanel::tr("Remaining, estimated")
                            || series->name() == LiveChartsPanel::tr("Shared budget, all processes/s"));
                }
            }
        }
        QCOMPARE(hidden, 3);
        s.elapsedS = 2;
        s.remaining = 10;
        panel.addSnapshots({s});
        hidden = 0;
        for (const QChartView *view : views) {
            for (const QAbstractSeries *series : view->chart()->series())
                hidden += !series->isVisible();
        }
        QCOMPARE(hidden, 2); // the shared budget: none in this run; no estimate while the server reports
    }

    // A server that reports no Remaining (Customer.io): the headroom chart
    // draws the engine's own count, dotted and named as an estimate.
    void headroomWithoutServerReportsIsDrawnAsAnEstimate()
    {
        LiveChartsPanel panel;
        for (int i = 0; i < 3; ++i) {
            auto s = snapshot(i + 1);
            s.remaining = -1;
            s.limit = 100;
            s.estimatedRemaining = 100 - 30 * i;
            panel.addSnapshots({s});
        }
        panel.refresh();
        QChartView *headroom = nullptr;
        for (QChartView *view : panel.findChildren<QChartView *>()) {
            if (view->chart()->title().startsWith(LiveChartsPanel::tr("Headroom")))
                headroom = view;
        }
        QVERIFY(headroom);
        QLineSeries *estimate = nullptr;
        for (QAbstractSeries *series : headroom->chart()->series()) {
            if (series->name() == LiveChartsPanel::tr("Remaining, estimated"))
                estimate = qobject_cast<QLineSeries *>(series);
            else if (series->name() == LiveChartsPanel::tr("Remaining"))
                QVERIFY(!series->isVisible()); // the server never said
        }
        QVERIFY(estimate);
        QVERIFY(estimate->isVisible());
        QCOMPARE(estimate->pen().style(), Qt::DotLine);
        QVERIFY(estimate->count() >= 3);
        double low = 1e9;
        double high = -1;
        for (const QPointF &p : estimate->points()) {
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
        QCOMPARE(high, 100.0);
        QCOMPARE(low, 40.0); // it moves
        const auto markers = headroom->chart()->legend()->markers(estimate);
        QCOMPARE(markers.size(), 1);
        QVERIFY(markers.first()->label().contains(QLatin1String("estimated")));
    }

    void chartsAreReachableByKeyboardAndNamed()
    {
        LiveChartsPanel panel;
        for (const QChartView *view : panel.findChildren<QChartView *>()) {
            QCOMPARE(view->focusPolicy(), Qt::StrongFocus);
            QCOMPARE(view->accessibleName(), view->chart()->title());
        }
    }

    void axesEndOnNiceNumbersAheadOfTheData()
    {
        LiveChartsPanel panel;
        for (int i = 1; i <= 37; ++i)
            panel.addSnapshots({snapshot(i * 0.1 * 100)}); // up to 370 s
        for (int i = 0; i < panel.chartCount(); ++i)
            panel.refresh(); // an axis per refresh
        for (const QChartView *view : panel.findChildren<QChartView *>()) {
            const auto *x = qobject_cast<const QValueAxis *>(view->chart()->axes(Qt::Horizontal).constFirst());
            QCOMPARE(x->min(), 0.0);
            QCOMPARE(x->max(), 400.0); // 370 s + 5 % in steps of 100
            QCOMPARE(x->tickCount(), 5);
            const auto *y = qobject_cast<const QValueAxis *>(view->chart()->axes(Qt::Vertical).constFirst());
            QVERIFY(y->max() >= 1.0);
        }
    }
};

QTEST_MAIN(TestLivePalette)
#include "tst_live_palette.moc"
