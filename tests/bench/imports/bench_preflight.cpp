// Times Preflight::run (the library under `headroom-cli preflight`) on a file
// and prints rows/s. Usage: bench_preflight FILE [PROFILE] [MAPPING.json] [REPEAT]
#include "core/imports/Preflight.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    using namespace headroom::imports;
    const QStringList args = app.arguments();
    QTextStream out(stdout);
    if (args.size() < 2) {
        out << "usage: bench_preflight FILE [PROFILE] [MAPPING.json] [REPEAT]\n";
        return 2;
    }
    PreflightOptions options;
    options.source.filePath = args.at(1);
    options.source.profile = args.value(2, QStringLiteral("customerio-track"));
    if (args.size() > 3 && !args.at(3).isEmpty() && args.at(3) != QLatin1String("-")) {
        QString error;
        options.source.mapping = Mapping::fromFile(args.at(3), &error);
        if (!options.source.mapping) {
            out << error << "\n";
            return 2;
        }
    }
    const int repeat = std::max(1, args.value(4, QStringLiteral("3")).toInt());
    double best = 1e100;
    PreflightReport report;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer timer;
        timer.start();
        report = Preflight::run(options);
        best = std::min(best, double(timer.nsecsElapsed()) / 1e9);
    }
    if (report.fatal) {
        out << report.fatal->toText() << "\n";
        return 2;
    }
    out << "rows " << report.rows << "  bad " << report.badRows << "  requests " << report.requestsUnbatched
        << " / batched " << report.requestsBatched << "\n";
    out << "best of " << repeat << ": " << QString::number(best, 'f', 3) << " s  "
        << qint64(double(report.rows) / best) << " rows/s  "
        << QString::number(double(report.fileBytes) / best / 1e6, 'f', 1) << " MB/s\n";
    return 0;
}
