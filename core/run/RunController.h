#pragma once

#include "core/run/Dispatcher.h"

#include "core/metrics/LaneSnapshot.h"
#include "core/run/RunProgress.h"
#include "core/run/RunSummary.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>

namespace headroom::run {

// Runs a Dispatcher on its own engine thread, so neither the console's event
// loop nor the CLI's progress output ever waits on the network. Intents go in
// as queued calls; samples, state changes and the summary come back as queued
// signals on the caller's thread. Observers are called on the engine thread.
//
// It is the one face of a run for everything on the caller's thread: widgets
// connect to it once and read the last state, progress and lane samples here,
// so nothing above it re-declares these signals or keeps a copy of them.
class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    // The clock must outlive the run; observers too (they are not owned).
    void start(std::unique_ptr<imports::CallSource> source, QList<LaneConfig> lanes, const Clock &clock,
               QList<RunObserver *> observers = {});
    // The give-up bound of the runs started after this (Dispatcher::setGiveUpAfter).
    void setGiveUpAfter(Duration after) { m_giveUpAfter = after; }
    // Turns the engine's summary into the one `finished` carries, before it is
    // emitted (the console's recorder writes summary.json and adds rows_resent).
    void setFinisher(std::function<RunSummary(const RunSummary &)> finisher) { m_finisher = std::move(finisher); }
    bool isRunning() const { return m_dispatcher != nullptr; }
    Dispatcher::State state() const { return m_state; }
    // The latest sample of the run started last (empty before its first).
    RunProgress lastProgress() const { return m_progress; }
    QList<metrics::LaneSnapshot> lastSnapshots() const { return m_snapshots; }

public slots:
    void pause();
    void resume();
    void drain();
    void cancel();
    void setLaneLimit(int lane, int limit, qint64 windowMs);
    void setLaneConcurrency(int lane, int concurrency);

signals:
    void sampled(const QList<headroom::metrics::LaneSnapshot> &lanes);
    void progressed(const headroom::run::RunProgress &progress);
    void stateChanged(headroom::run::Dispatcher::State state);
    void finished(const headroom::run::RunSummary &summary);

private:
    void stopThread();

    QThread m_thread;
    QPointer<Dispatcher> m_dispatcher;
    Dispatcher::State m_state = Dispatcher::State::Idle;
    RunProgress m_progress;
    QList<metrics::LaneSnapshot> m_snapshots;
    std::function<RunSummary(const RunSummary &)> m_finisher;
    Duration m_giveUpAfter = Duration::max();
};

} // namespace headroom::run
