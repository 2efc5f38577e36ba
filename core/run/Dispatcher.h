#pragma once

#include "core/clock/Clock.h"
#include "core/http/RequestFactory.h"
#include "core/imports/CallSource.h"
#include "core/metrics/LaneSnapshot.h"
#include "core/run/Job.h"
#include "core/run/Lane.h"
#include "core/run/LaneConfig.h"
#include "core/run/LaneNotices.h"
#include "core/run/RunObserver.h"
#include "core/run/RunProgress.h"
#include "core/run/RunSummary.h"
#include "core/scopes/ScopeRouter.h"

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

    // The most of one response body the engine reads: the APIs' real answers
    // (a batch's per-row results included) are far smaller, and a server that
    // streams without end must not grow the process. Beyond it the attempt is
    // aborted and counts as a transport error.
    static constexpr qint64 kMaxResponseBytes = 1 << 20;
    // Calls read ahead of their lane's turn, at most, when lanes are scopes:
    // the reader keeps pulling for scopes that have room past calls waiting
    // for a slow one, and memory stays flat.
    static constexpr qsizetype kLookAhead = 256;

    Dispatcher(std::unique_ptr<imports::CallSource> source, QList<LaneConfig> lanes, const Clock &clock,
               QObject *parent = nullptr);
    ~Dispatcher() override;

    void addObserver(RunObserver *observer) { m_observers.push_back(observer); }
    void setSampleInterval(std::chrono::milliseconds interval) { m_sampleInterval = interval; }
    // No row finished (done or dead-lettered) for this long while work
    // remains: the run stops as GaveUp, its unfinished rows left for a resume.
    // Duration::max() (the default): never. Set before start().
    void setGiveUpAfter(Duration after) { m_giveUpAfter = after; }

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
        std::deque<Job> held;   // split halves and batch leftovers, sent before new rows
        std::deque<Job> routed; // new calls of this lane's scope key, read ahead in file order
        // The liveness guard's view: the lane's last send or answer (or the
        // start), and the latest wait the server or the retry policy gave it
        // (a reset, a Retry-After, a retry's due time).
        TimePoint quietSince{};
        TimePoint toldUntil{};
        LaneNotices::GrantedTold grantedTold;
    };
    struct InFlight
    {
        Job job;
        bool cancelled = false;
        bool wired = false;
        TimePoint wireAt{};   // when QNAM wrote it; lastSentAt until then
        TimePoint deadline{}; // the lane's transfer timeout after the send
        bool timedOut = false;
        bool oversized = false; // aborted for a body over kMaxResponseBytes
    };

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
    // The next call of the file (nullopt at its end, which sets m_sourceDone).
    std::optional<Job> readSource();
    // Reads calls for `slot` when lanes are scopes: a call of another scope
    // key goes to its lane's queue, within kLookAhead.
    std::optional<Job> pullFor(LaneSlot &slot, TimePoint now);
    // The lane of a call's scope key, made (with the lanes of its wider
    // scopes) the first time the key is seen.
    int laneForCall(const imports::ApiCall &call, TimePoint now);
    int laneForScope(const scopes::ScopeMatch &match, TimePoint now, bool underParent = false);
    // Talks to Redis for a lane that draws from a shared budget.
    void startSharedBudget(size_t index);
    void route(Job job, TimePoint now);
    // Aborts every request in flight; each settles as cancelled (not attempted).
    void abortInFlight();
    void send(int laneIndex, Job job, TimePoint now);
    void onReplyFinished(QNetworkReply *reply);
    // Aborts a reply whose body (announced or received) passes kMaxResponseBytes.
    void watchBodySize(QNetworkReply *reply);
    // Why an answer's body is not the whole answer (over the cap, or the
    // transfer ended before Content-Length bytes); empty when it is whole.
    QString cutOffReason(const QNetworkReply *reply, const InFlight &entry, qsizetype bodySize) const;
    void settle(int laneIndex, Job &job, const rate::RetryPolicy::Decision &decision, int status,
                const QByteArray &body, AttemptRecord &record);
    // A batch's own answer: per-row results or a split. False when it leaves
    // the decision to the retry policy's (every row again, not retryable).
    bool settleBatch(int laneIndex, Job &job, const imports::Batcher &batcher, const rate::RetryPolicy::Decision &decision,
                     int status, const QByteArray &body, AttemptRecord &record);
    // Per-row results: done rows, failed rows, and a batch of the rest again.
    void settleBatchRows(int laneIndex, const Job &job, const imports::Batcher &batcher,
                         const imports::BatchResult &result, AttemptRecord &record);
    void markDone(int laneIndex, const Job &job, const QList<qint64> &rows);
    void markFailed(int laneIndex, const Job &job, const QList<qint64> &rows, const QList<qint64> &lines,
                    const QString &reason, const AttemptOutcome &outcome);
    // Bad rows the source found: each a failed row with its line and reason.
    void reportBadRows();
    void sample();
    RunProgress progress(const QList<metrics::LaneSnapshot> &lanes) const;
    void setState(State state);
    void maybeFinish();
    void finish(RunSummary::Ending ending);
    // The summary's elapsed time and the lanes' totals at the end.
    void tallyLanes(TimePoint now);
    bool sourceExhausted() const;
    QList<Lane *> lanePointers() const;

    std::unique_ptr<imports::CallSource> m_source;
    const Clock &m_clock;
    std::vector<std::unique_ptr<LaneSlot>> m_lanes;
    QList<LaneConfig> m_configs;
    // Set when the lanes are the API's scopes (LaneConfig::scopes of the first).
    std::optional<scopes::ScopeRouter> m_router;
    QHash<QString, int> m_laneByKey;
    qsizetype m_routedCount = 0;
    bool m_routedElsewhere = false;
    http::HttpTransport *m_transport = nullptr;
    std::vector<budget::SharedBudgetClient *> m_budgets; // children; one per lane with a shared budget
    QTimer *m_wake = nullptr;
    QTimer *m_sampler = nullptr;
    QTimer *m_deadlines = nullptr;
    QTimer *m_giveUp = nullptr;
    TimePoint m_wakeAt = TimePoint::max();
    QHash<QNetworkReply *, InFlight> m_inFlight;
    std::vector<RunObserver *> m_observers;
    LaneNotices m_notices;
    State m_state = State::Idle;
    bool m_sourceDone = false;
    // A call read ahead to learn whether the source has ended (see
    // maybeFinish); the next lane that may send takes it first.
    std::optional<Job> m_readAhead;
    bool m_pumping = false;
    quint64 m_nextJobId = 1;
    TimePoint m_startedAt{};
    TimePoint m_lastProgressAt{};
    Duration m_giveUpAfter = Duration::max();
    std::chrono::milliseconds m_sampleInterval{100};
    RunSummary m_summary;
};

} // namespace headroom::run
