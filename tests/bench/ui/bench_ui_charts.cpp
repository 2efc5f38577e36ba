// Chart frame time with a one-hour run's history: 36,000 samples (10 Hz × 3,600 s)
// in each of the Live panel's 14 series, then frames of one new sample + refresh()
// + a synchronous repaint of every chart, as the 5 Hz timer does during a run.
#include "live/LiveChartsPanel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <vector>

using headroom::metrics::LaneSnapshot;

namespace {

LaneSnapshot sample(int i)
{
    LaneSnapshot s;
    s.lane = QStringLiteral("customerio-track");
    s.elapsedS = i * 0.1;
    s.limit = 100;
    s.remaining = 100 - (i * 7) % 100;
    s.queueDepth = (i * 13) % 40;
    s.inFlight = 10 + (i % 20);
    s.sentPerS = 95 + std::sin(i * 0.01) * 5;
    s.rowsPerS = s.sentPerS;
    s.throttledPerS = i % 997 == 0 ? 3 : 0;
    s.responses429 = i / 997;
    s.retries = i / 500;
    s.latencyP50Ms = 120 + (i % 30);
    s.latencyP95Ms = 240 + (i % 60);
    s.configuredLimitPerS = 100;
    s.breakerState = QStringLiteral("closed");
    s.paused = i % 5000 < 20;
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    headroom::ui::LiveChartsPanel panel;
    panel.resize(1400, 900);
    panel.show();
    QCoreApplication::processEvents();

    constexpr int kHistory = 36000;
    QElapsedTimer fill;
    fill.start();
    for (int i = 0; i < kHistory; ++i)
        panel.addSnapshots({sample(i)});
    const double fillMs = double(fill.nsecsElapsed()) / 1e6;

    constexpr int kFrames = 60;
    std::vector<double> refreshMs;
    std::vector<double> frameMs;
    for (int f = 0; f < kFrames; ++f) {
        panel.addSnapshots({sample(kHistory + f)});
        QElapsedTimer t;
        t.start();
        panel.refresh();
        const double r = double(t.nsecsElapsed()) / 1e6;
        panel.repaint(); // paint every chart now, as the next frame would
        QCoreApplication::sendPostedEvents();
        frameMs.push_back(double(t.nsecsElapsed()) / 1e6);
        refreshMs.push_back(r);
    }
    auto pct = [](std::vector<double> v, double p) {
        std::sort(v.begin(), v.end());
        return v[size_t(std::min<double>(double(v.size() - 1), p * double(v.size())))];
    };
    QTextStream out(stdout);
    out << "history: " << kHistory << " samples x 14 series, filled in " << QString::number(fillMs, 'f', 0) << " ms\n";
    out << "points drawn after decimation: " << panel.pointCount() << "\n";
    out << "refresh (decimate + replace + axes): median " << QString::number(pct(refreshMs, 0.5), 'f', 2) << " ms, p95 "
        << QString::number(pct(refreshMs, 0.95), 'f', 2) << " ms\n";
    out << "frame (refresh + repaint of 7 charts): median " << QString::number(pct(frameMs, 0.5), 'f', 2)
        << " ms, p95 " << QString::number(pct(frameMs, 0.95), 'f', 2) << " ms, max "
        << QString::number(pct(frameMs, 1.0), 'f', 2) << " ms (target <= 16 ms)\n";
    return 0;
}
