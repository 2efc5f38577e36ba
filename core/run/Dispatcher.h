#pragma once

#include "core/clock/Clock.h"
#include "core/http/RequestFactory.h"
#include "core/imports/CallSource.h"
#include "core/metrics/LaneSnapshot.h"
#include "core/run/InFlight.h"
#include "core/run/Job.h"
#include "core/run/JobFeed.h"
#include "core/run/Lane.h"
#include "core/run/LaneConfig.h"
#include "core/run/LaneNotices.h"
#include "core/run/ProgressWatch.h"
#include "core/run/ReplyReader.h"
#include "core/run/RowSettler.h"
#include "core/run/RunObserver.h"
#include "core/run/RunProgress.h"
#include "core/run/RunSummary.h"
#include "core/run/ScopeLanes.h"
#include "core/run/SharedBudgetClients.h"

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
namespace headroom::rate {
struct RateSignals;
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
    enum class State { Idle,
                       Running,
                       Paused,
                       Draining,
                       Finished };
    Q_ENUM(State)

    // The most of one response body the engine reads (see ReplyReader).
    static constexpr qint64 kMaxResponseBytes = ReplyReader::kMaxResponseBytes;
    // Calls read ahead of their lane's turn, at most, when lanes are scopes
    // (see ScopeLanes).
    static constexpr qsizetype kLookAhead = ScopeLanes::kLookAhead;

    Dispatcher(std::unique_ptr<imports::CallSource> source, QList<LaneConfig> lanes, const Clock &clock,
               QObject *parent = nullptr);
    ~Dispatcher() override;

    void addObserver(RunObserver *observer) { m_observers.push_back(observer); }
    void setSampleInterval(std::chrono::milliseconds interval) { m_sampleInterval = interval; }
    // No row finished (done or dead-lettered) for this long while work
    // remains: the run stops as GaveUp, its unfinished rows left for a resume.
    // Duration::max() (the default): never. Set before start().
    void setGiveUpAfter(Duration after) { m_progress.setBound(after); }

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
    // Sends what is due and ends the event (RunObserver::eventEnded), unless
    // it runs inside another pass, which ends it.
    void pump();
    // One pass over the lanes: sends what may go now; the earliest instant
    // a lane may send next (TimePoint::max(): a response will pump).
    TimePoint sendDue(TimePoint now);
    void armWake(TimePoint at, TimePoint now);
    // The liveness guard, a second line of defence behind the limiters: when a
    // lane with work and nothing in flight has waited past its longest
    // justified wait plus a second, it may send one request anyway.
    // TimePoint::max(): the guard has nothing to say.
    TimePoint guardAt(const LaneSlot &slot, TimePoint now) const;
    // Sends one request past the limiters and says in the run log which rule
    // held the lane; false when there was nothing to send.
    bool forceOne(int laneIndex, TimePoint now);
    // The give-up bound: looks at the time since a row last finished.
    void armGiveUp(TimePoint now);
    void checkProgress();
    void giveUp();
    // Aborts the attempts whose deadline has passed (one coarse timer for all).
    void expireDeadlines();
    // Tells the observers an event's work is done (RunObserver::eventEnded).
    void endEvent();
    std::optional<Job> nextJob(LaneSlot &slot, TimePoint now);
    // Talks to Redis for a lane that draws from a shared budget.
    void startSharedBudget(size_t index);
    // A scope lane just opened: connections, a shared budget, the observers.
    void onLaneOpened(int index, TimePoint now);
    // Aborts every request in flight; each settles as cancelled (not attempted).
    void abortInFlight();
    void send(int laneIndex, Job job, TimePoint now);
    void onReplyFinished(QNetworkReply *reply);
    // Aborts a reply whose body (announced or received) passes kMaxResponseBytes.
    void watchBodySize(QNetworkReply *reply);
    void sample();
    RunProgress progress(const QList<metrics::LaneSnapshot> &lanes) const;
    void setState(State state);
    void maybeFinish();
    void finish(RunSummary::Ending ending);

    std::unique_ptr<imports::CallSource> m_source;
    const Clock &m_clock;
    QList<LaneConfig> m_configs;
    ScopeLanes m_lanes;
    http::HttpTransport *m_transport = nullptr;
    SharedBudgetClients m_budgets; // children; one per lane with a shared budget
    QTimer *m_wake = nullptr;
    QTimer *m_sampler = nullptr;
    QTimer *m_deadlines = nullptr;
    QTimer *m_giveUp = nullptr;
    TimePoint m_wakeAt = TimePoint::max();
    QHash<QNetworkReply *, InFlight> m_inFlight;
    std::vector<RunObserver *> m_observers;
    LaneNotices m_notices;
    State m_state = State::Idle;
    bool m_pumping = false;
    quint64 m_nextJobId = 1;
    TimePoint m_startedAt{};
    ProgressWatch m_progress;
    std::chrono::milliseconds m_sampleInterval{100};
    RunSummary m_summary;
    RowSettler m_settler;
    JobFeed m_feed;
};

} // namespace headroom::run
