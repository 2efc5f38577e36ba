#pragma once

#include "clock/Clock.h"
#include "http/RequestFactory.h"
#include "imports/CallSource.h"
#include "metrics/LaneSnapshot.h"
#include "run/Job.h"
#include "run/Lane.h"
#include "run/LaneConfig.h"
#include "run/RunObserver.h"
#include "run/RunProgress.h"
#include "run/RunSummary.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <deque>
#include <memory>
#include <vector>

class QNetworkReply;
class QTimer;

namespace headroom::http {
class HttpTransport;
}
namespace headroom::budget {
class SharedBudgetClient;
}

namespace headroom::run {

// The one place where decisions become timers and network replies. It pulls
// calls from a CallSource only when a lane may send (backpressure: no buffer
// beyond what is in flight), asks the lane when the next send may go, sends on
// an HttpTransport, parses rate signals from each reply and hands them back to
// the lane, which answers done / retry at T / pause / dead letter / split.
// Lives in one thread (the engine thread in the console and the CLI; the test
// thread in tests) together with its QNetworkAccessManagers.
class Dispatcher : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Draining, Finished };
    Q_ENUM(State)

    Dispatcher(std::unique_ptr<imports::CallSource> source, QList<LaneConfig> lanes, const Clock &clock,
               QObject *parent = nullptr);
    ~Dispatcher() override;

    void addObserver(RunObserver *observer) { m_observers.push_back(observer); }
    void setSampleInterval(std::chrono::milliseconds interval) { m_sampleInterval = interval; }

    State state() const { return m_state; }
    const RunSummary &summary() const { return m_summary; }
    int laneCount() const { return int(m_lanes.size()); }
    Lane &lane(int index) { return *m_lanes[size_t(index)]->lane; }

public slots:
    void start();
    void pause();
    void resume();
    // Sends nothing new; finishes what is in flight, then ends (rows left are
    // not attempted: a resume picks them up).
    void drain();
    // Aborts what is in flight and ends now.
    void cancel();
    // Live changes from the console.
    void setLaneLimit(int lane, int limit, qint64 windowMs);
    void setLaneConcurrency(int lane, int concurrency);

signals:
    void sampled(const QList<headroom::metrics::LaneSnapshot> &lanes);
    void progressed(const headroom::run::RunProgress &progress);
    void stateChanged(headroom::run::Dispatcher::State state);
    void finished(const headroom::run::RunSummary &summary);

private:
    struct LaneSlot
    {
        std::unique_ptr<Lane> lane;
        http::RequestFactory requests;
        std::deque<Job> held; // split halves and batch leftovers, sent before new rows
    };
    struct InFlight
    {
        Job job;
        bool cancelled = false;
        bool wired = false;
        TimePoint wireAt{};   // when QNAM wrote it; lastSentAt until then
        TimePoint deadline{}; // the lane's transfer timeout after the send
        bool timedOut = false;
    };

    // Sends what is due and ends the event (RunObserver::eventEnded), unless
    // it runs inside another pass, which ends it.
    void pump();
    void armWake(TimePoint at, TimePoint now);
    // Aborts the attempts whose deadline has passed (one coarse timer for all).
    void expireDeadlines();
    // Tells the observers an event's work is done (RunObserver::eventEnded).
    void endEvent();
    std::optional<Job> nextJob(LaneSlot &slot, TimePoint now);
    void send(int laneIndex, Job job, TimePoint now);
    void onReplyFinished(QNetworkReply *reply);
    void settle(int laneIndex, Job &job, const rate::RetryPolicy::Decision &decision, int status,
                const QByteArray &body, AttemptRecord &record);
    void markDone(int laneIndex, const QList<qint64> &rows);
    void markFailed(int laneIndex, const Job &job, const QList<qint64> &rows, const QList<qint64> &lines,
                    const QString &reason);
    void drainProblems();
    // A lane-level event for the run log (e.g. the shared budget went away).
    void notice(int laneIndex, const QString &text);
    void sample();
    RunProgress progress(const QList<metrics::LaneSnapshot> &lanes) const;
    void setState(State state);
    void maybeFinish();
    void finish(RunSummary::Ending ending);
    bool sourceExhausted() const;
    QList<Lane *> lanePointers() const;

    std::unique_ptr<imports::CallSource> m_source;
    const Clock &m_clock;
    std::vector<std::unique_ptr<LaneSlot>> m_lanes;
    QList<LaneConfig> m_configs;
    http::HttpTransport *m_transport = nullptr;
    std::vector<budget::SharedBudgetClient *> m_budgets; // children; one per lane with a shared budget
    QTimer *m_wake = nullptr;
    QTimer *m_sampler = nullptr;
    QTimer *m_deadlines = nullptr;
    TimePoint m_wakeAt = TimePoint::max();
    QHash<QNetworkReply *, InFlight> m_inFlight;
    std::vector<RunObserver *> m_observers;
    State m_state = State::Idle;
    bool m_sourceDone = false;
    bool m_pumping = false;
    quint64 m_nextJobId = 1;
    TimePoint m_startedAt{};
    std::chrono::milliseconds m_sampleInterval{100};
    RunSummary m_summary;
};

} // namespace headroom::run
