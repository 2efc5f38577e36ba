// Event-loop latency probe: the whole console (MainWindow, charts, log model)
// runs an import at 100 req/s against the embedded sandbox while a 5 ms timer
// measures how late the GUI thread wakes up. Prints the worst stall and
// percentiles of the lateness (target: no stall over 50 ms).
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/imports/ImportPanel.h"
#include "ui/log/RunLogModel.h"
#include "ui/session/RunSession.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

int main(int argc, char **argv)
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    const int rows = argc > 1 ? QString::fromLatin1(argv[1]).toInt() : 1500;
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("bench.csv"));
    {
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write("id,email,plan\n");
        for (int i = 1; i <= rows; ++i)
            f.write("cust-" + QByteArray::number(i) + ",c" + QByteArray::number(i) + "@example.com,free\n");
    }

    headroom::ui::MemoryCredentialStore credentials;
    headroom::ui::MainWindow window(&credentials);
    headroom::ui::MainWindow::StartupOptions options;
    options.sandbox = true;
    options.file = file;
    options.runsDirectory = dir.filePath(QStringLiteral("runs"));
    window.applyStartup(options);
    headroom::run::RunSettings s = headroom::ui::ApiSettingsPanel::defaultsFor(QStringLiteral("customerio-track"));
    s.rate = 100;
    s.window = std::chrono::seconds(1);
    window.apiPanel()->setSettings(s);
    window.resize(1400, 900);
    window.show();

    std::vector<double> lateMs;
    QElapsedTimer clock;
    qint64 last = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last)
            lateMs.push_back(std::max(0.0, double(now - last) / 1e6 - 5.0));
        last = now;
    });

    headroom::run::RunSummary summary;
    QObject::connect(window.session(), &headroom::ui::RunSession::started, [&] {
        clock.start();
        probe.start();
    });
    QObject::connect(window.session()->controller(), &headroom::run::RunController::finished, [&](const headroom::run::RunSummary &result) {
        summary = result;
        probe.stop();
        QCoreApplication::quit();
    });
    QObject::connect(window.session(), &headroom::ui::RunSession::failedToStart, [](const QString &error) {
        QTextStream(stderr) << "cannot start: " << error << '\n';
        QCoreApplication::exit(1);
    });
    QTimer::singleShot(200, &window, &headroom::ui::MainWindow::startRun);
    if (app.exec() != 0)
        return 1;

    std::sort(lateMs.begin(), lateMs.end());
    auto pct = [&](double p) { return lateMs.empty() ? 0.0 : lateMs[size_t(std::min<double>(double(lateMs.size() - 1), p * double(lateMs.size())))]; };
    QTextStream out(stdout);
    out << "run: " << summary.rowsDone << " rows, " << summary.requests << " requests in "
        << QString::number(summary.elapsedS, 'f', 1) << " s = " << QString::number(summary.requestsPerS(), 'f', 1)
        << " req/s, " << summary.responses429 << " 429s; log rows " << window.session()->log()->rowCount() << '\n';
    out << "event-loop lateness over " << lateMs.size() << " probes (5 ms timer): median "
        << QString::number(pct(0.5), 'f', 2) << " ms, p99 " << QString::number(pct(0.99), 'f', 2) << " ms, max stall "
        << QString::number(pct(1.0), 'f', 2) << " ms (target < 50 ms)\n";
    return 0;
}
