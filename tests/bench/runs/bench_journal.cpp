// What the journal costs the engine per event, with group fdatasync and
// without, and how fast a resume replays it. Prints figures; not a test.
//   bench_journal [events] [directory]
#include "core/clock/SteadyClock.h"
#include "core/run/JournalReplay.h"
#include "core/run/RunJournal.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

using namespace headroom;
using namespace std::chrono_literals;

namespace {

struct Figures
{
    double nsPerEvent = 0;
    qint64 syncs = 0;
    qint64 bytes = 0;
};

Figures writeEvents(const QString &path, int events, run::RunJournal::Options options)
{
    QFile::remove(path);
    run::RunJournal journal(path, SteadyClock::instance(), options);
    QString error;
    if (!journal.open(-1, &error))
        qFatal("cannot open %s: %s", qPrintable(path), qPrintable(error));
    run::Job job;
    job.attempt = 1;
    job.call.rows = {0};
    QElapsedTimer timer;
    timer.start();
    for (int i = 1; i <= events / 2; ++i) {
        job.call.rows[0] = i;
        journal.callSent(job); // one "sent" record ...
        journal.rowsDone({i}); // ... and one "done" record per row, as for single calls
    }
    journal.finish();
    Figures f;
    f.nsPerEvent = double(timer.nsecsElapsed()) / events;
    f.syncs = journal.syncs();
    f.bytes = QFile(path).size();
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int events = args.size() > 1 ? args.at(1).toInt() : 200000;
    QTemporaryDir temp;
    const QString dir = args.size() > 2 ? args.at(2) : temp.path();
    const QString path = dir + QStringLiteral("/journal");
    QTextStream out(stdout);

    const Figures grouped = writeEvents(path, events, run::RunJournal::Options{100ms, 1000});
    out << "journal, fdatasync every 100 ms / 1000 records: " << grouped.nsPerEvent / 1000.0 << " us/event, "
        << grouped.syncs << " syncs for " << events << " events, " << double(grouped.bytes) / events
        << " bytes/event\n";
    const Figures noSync = writeEvents(path, events, run::RunJournal::Options{std::chrono::hours(1), 1 << 30});
    out << "journal, write(2) only (one sync at the end):    " << noSync.nsPerEvent / 1000.0 << " us/event\n";
    const Figures everySync = writeEvents(path, std::min(events, 4000), run::RunJournal::Options{0ms, 1});
    out << "journal, fdatasync every record (for contrast):  " << everySync.nsPerEvent / 1000.0 << " us/event\n";

    writeEvents(path, events, run::RunJournal::Options{100ms, 1000});
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    const QByteArray bytes = f.readAll();
    QElapsedTimer timer;
    timer.start();
    const run::JournalReplay replay = run::JournalReplay::replay(bytes);
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    out << "replay: " << replay.records << " records (" << bytes.size() / 1024 << " KiB) in " << ms << " ms, "
        << replay.done.count() << " rows done in " << replay.done.ranges().size() << " range(s)\n";
    return 0;
}
