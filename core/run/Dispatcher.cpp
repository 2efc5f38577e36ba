#include "core/run/Dispatcher.h"

#include "core/http/HttpTransport.h"
#include "core/run/AttemptRecordBuilder.h"
#include "core/run/LivenessGuard.h"
#include "core/run/RunTally.h"

#include <QNetworkReply>
#include <QTimer>

#include <algorithm>

namespace headroom::run {

Dispatcher::Dispatcher(std::unique_ptr<imports::CallSource> source, QList<LaneConfig> lanes, const Clock &clock,
                       QObject *parent)
    : QObject(parent)
    , m_source(std::move(source))
    , m_clock(clock)
    , m_configs(std::move(lanes))
    , m_notices(clock, m_observers)
    , m_settler(m_lanes, m_summary, m_progress, clock, m_observers, m_nextJobId)
    , m_feed(m_source.get(), m_lanes, m_summary, m_settler, m_nextJobId)
{
    qRegisterMetaType<headroom::metrics::LaneSnapshot>();
    qRegisterMetaType<QList<headroom::metrics::LaneSnapshot>>();
    qRegisterMetaType<headroom::run::RunSummary>();
    qRegisterMetaType<headroom::run::RunProgress>();
    qRegisterMetaType<headroom::run::Dispatcher::State>();
}

Dispatcher::~Dispatcher()
{
    // They hold the lanes' shared-budget limiters, which go with m_lanes
    // before QObject deletes children.
    m_budgets.deleteAll();
    // abort() finishes a reply synchronously, and its end reaches
    // onReplyFinished through the transport: cut that first, or a dying
    // dispatcher would settle, log and even send again.
    if (m_transport)
        m_transport->disconnect(this);
    const QList<QNetworkReply *> replies = m_inFlight.keys();
    m_inFlight.clear();
    for (QNetworkReply *reply : replies) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void Dispatcher::start()
{
    if (m_state != State::Idle)
        return;
    const TimePoint now = m_clock.now();
    m_startedAt = now;
    int connections = 0;
    Duration shortestTimeout = Duration::max();
    for (const LaneConfig &config : std::as_const(m_configs)) {
        connections += std::max(1, config.concurrency);
        shortestTimeout = std::min(shortestTimeout, config.transferTimeout);
    }
    m_lanes.open(m_configs, now);
    m_lanes.setOnOpened([this](int index, TimePoint at) { onLaneOpened(index, at); });
    // Created here, in the thread that will use them.
    m_transport = new http::HttpTransport(connections, this);
    connect(m_transport, &http::HttpTransport::replyFinished, this, &Dispatcher::onReplyFinished);
    m_wake = new QTimer(this);
    m_wake->setSingleShot(true);
    m_wake->setTimerType(Qt::PreciseTimer);
    connect(m_wake, &QTimer::timeout, this, [this] {
        m_wakeAt = TimePoint::max();
        pump();
    });
    // A tenth of the shortest timeout (10–250 ms): an attempt is aborted at
    // most that much after its deadline.
    m_deadlines = new QTimer(this);
    m_deadlines->setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::clamp<Duration>(shortestTimeout / 10, std::chrono::milliseconds(10), std::chrono::milliseconds(250))));
    connect(m_deadlines, &QTimer::timeout, this, &Dispatcher::expireDeadlines);
    m_sampler = new QTimer(this);
    m_sampler->setInterval(m_sampleInterval);
    connect(m_sampler, &QTimer::timeout, this, &Dispatcher::sample);
    // One precise timer: a bound of 30m must not end a minute early or late.
    m_giveUp = new QTimer(this);
    m_giveUp->setSingleShot(true);
    m_giveUp->setTimerType(Qt::PreciseTimer);
    connect(m_giveUp, &QTimer::timeout, this, &Dispatcher::checkProgress);
    // Shared budgets talk to Redis from this thread; a grant or a switch to
    // the local fallback may let a lane send, so it pumps.
    for (size_t i = 0; i < m_lanes.size(); ++i)
        startSharedBudget(i);
    for (RunObserver *o : m_observers)
        o->lanesStarted(m_lanes.lanes(), now);

    if (!m_source || (!m_source->hasFatalError() && !m_source->open()) || m_source->hasFatalError()) {
        m_summary.error = m_source ? m_source->fatalError().toText() : QStringLiteral("no input");
        finish(RunSummary::Ending::Failed);
        return;
    }
    m_sampler->start();
    m_progress.noteProgress(now);
    armGiveUp(now);
    setState(State::Running);
    // The charts' first point, before anything is sent: the whole budget
    // ahead. A lane at full speed spends its window within milliseconds, so
    // the first timed sample already reads it spent.
    QList<metrics::LaneSnapshot> first;
    for (const auto &slot : m_lanes)
        first << slot->lane->sample(now, m_startedAt, qint64(slot->held.size()), false);
    emit sampled(first);
    pump();
}

void Dispatcher::pause()
{
    if (m_state == State::Running) {
        setState(State::Paused);
        sample();
    }
}

void Dispatcher::resume()
{
    if (m_state == State::Paused) {
        // Time the operator held the run is neither a lane's idleness nor a
        // lack of progress.
        const TimePoint now = m_clock.now();
        for (const auto &slot : m_lanes)
            slot->quietSince = now;
        m_progress.noteProgress(now);
        setState(State::Running);
        pump();
    }
}

void Dispatcher::drain()
{
    if (m_state == State::Running || m_state == State::Paused) {
        setState(State::Draining);
        maybeFinish();
    }
}

void Dispatcher::cancel()
{
    if (m_state == State::Finished || m_state == State::Idle)
        return;
    abortInFlight();
    finish(RunSummary::Ending::Cancelled);
}

void Dispatcher::abortInFlight()
{
    const auto replies = m_inFlight.keys();
    for (QNetworkReply *reply : replies) {
        m_inFlight[reply].cancelled = true;
        reply->abort(); // finished() runs synchronously and settles it as cancelled
    }
}

void Dispatcher::setLaneLimit(int lane, int limit, qint64 windowMs)
{
    if (lane < 0 || lane >= int(m_lanes.size()))
        return;
    const std::optional<int> value = limit > 0 ? std::optional<int>(limit) : std::nullopt;
    const TimePoint now = m_clock.now();
    m_lanes[size_t(lane)]->lane->setLimit(value, std::chrono::milliseconds(std::max<qint64>(1, windowMs)), now);
    m_lanes[size_t(lane)]->quietSince = now; // a new rule: its wait starts now
    pump();
}

void Dispatcher::setLaneConcurrency(int lane, int concurrency)
{
    if (lane < 0 || lane >= int(m_lanes.size()))
        return;
    m_lanes[size_t(lane)]->lane->setConcurrency(concurrency);
    int total = 0;
    for (const auto &slot : m_lanes)
        total += slot->lane->config().concurrency;
    m_transport->setMaxConnections(total);
    pump();
}

void Dispatcher::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

std::optional<Job> Dispatcher::nextJob(LaneSlot &slot, TimePoint now)
{
    if (m_state == State::Draining)
        return std::nullopt;
    if (auto retry = slot.lane->takeDueRetry(now))
        return retry;
    if (!slot.held.empty()) {
        Job job = std::move(slot.held.front());
        slot.held.pop_front();
        return job;
    }
    if (auto routed = m_lanes.takeRouted(slot))
        return routed;
    return m_feed.nextFor(slot, now);
}

void Dispatcher::onLaneOpened(int index, TimePoint now)
{
    m_transport->setMaxConnections(m_lanes.connections());
    startSharedBudget(size_t(index));
    for (RunObserver *o : m_observers)
        o->laneAdded(m_lanes[size_t(index)]->lane.get(), now);
}

void Dispatcher::startSharedBudget(size_t index)
{
    Lane &lane = *m_lanes[index]->lane;
    m_budgets.start(
        lane, m_clock, this, [this] { pump(); }, [this, &lane](const QString &text) { m_notices.notice(lane, text); });
}

void Dispatcher::pump()
{
    // Sends finish synchronously only on errors, but a reentrant pump would
    // double-send; a flag keeps it to one pass at a time.
    if (m_pumping)
        return;
    if (m_state != State::Running && m_state != State::Draining) {
        endEvent(); // what the event settled (a last reply) still goes out
        return;
    }
    m_pumping = true;
    const TimePoint now = m_clock.now();
    TimePoint wake = TimePoint::max();
    // A lane that reads for itself may queue calls for lanes already passed
    // (scopes): another pass sends those that may go.
    do {
        m_feed.clearRoutedElsewhere();
        wake = sendDue(now);
    } while (m_feed.routedElsewhere());
    m_pumping = false;
    armWake(wake, now);
    endEvent();
    maybeFinish();
}

TimePoint Dispatcher::sendDue(TimePoint now)
{
    TimePoint wake = TimePoint::max();
    for (size_t i = 0; i < m_lanes.size(); ++i) {
        LaneSlot &slot = *m_lanes[i];
        for (;;) {
            const TimePoint at = slot.lane->nextSendAt(now);
            if (at > now) {
                // Not yet (or not until a response: TimePoint::max()). A due
                // retry still waits its turn behind the limiters, unless the
                // lane has waited past every wait it was given (the guard).
                const TimePoint guard = guardAt(slot, now);
                if (guard <= now && forceOne(int(i), now))
                    continue;
                wake = std::min({wake, at, guard > now ? guard : TimePoint::max()});
                break;
            }
            std::optional<Job> job = nextJob(slot, now);
            if (!job) {
                if (slot.lane->hasRetries() && m_state != State::Draining)
                    wake = std::min(wake, slot.lane->nextRetryDue());
                break;
            }
            if (!slot.lane->admit(now)) {
                // Half-open breaker with its probe out: the probe's answer decides.
                slot.held.push_front(std::move(*job));
                break;
            }
            send(int(i), std::move(*job), now);
        }
    }
    return wake;
}

void Dispatcher::armWake(TimePoint at, TimePoint now)
{
    if (at == TimePoint::max()) {
        // Nothing timed: a response will pump. Keep an earlier timer if any.
        return;
    }
    if (m_wake->isActive() && m_wakeAt <= at)
        return;
    m_wakeAt = at;
    // Round up: firing a hair early would only re-arm; late by <1 ms is free.
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(at - now);
    m_wake->start(int(std::max<qint64>(0, delay.count())));
}

TimePoint Dispatcher::guardAt(const LaneSlot &slot, TimePoint now) const
{
    if (m_state != State::Running)
        return TimePoint::max();
    // With scopes, unread rows wait on the main lane, which reads for all.
    const bool reads = !m_lanes.scoped() || &slot == m_lanes.front().get();
    return slot.guardDueAt(reads && m_feed.hasUnread(), m_lanes.scoped(), now);
}

bool Dispatcher::forceOne(int laneIndex, TimePoint now)
{
    LaneSlot &slot = *m_lanes[size_t(laneIndex)];
    Lane &lane = *slot.lane;
    const rate::LimiterStack::Binding binding = lane.limiters().binding(now);
    std::optional<Job> job = nextJob(slot, now);
    if (!job)
        return false;
    if (!lane.admit(now)) {
        slot.held.push_front(std::move(*job));
        return false;
    }
    m_notices.notice(lane, LivenessGuard::noticeText(binding, now - slot.quietSince, now),
                     QStringLiteral("liveness-guard"));
    send(laneIndex, std::move(*job), now);
    return true;
}

void Dispatcher::armGiveUp(TimePoint now)
{
    if (!m_progress.bounded() || m_state == State::Finished)
        return;
    m_giveUp->start(m_progress.timeLeft(now));
}

void Dispatcher::checkProgress()
{
    const TimePoint now = m_clock.now();
    if (m_state == State::Running && m_progress.stalled(now)) {
        giveUp();
        return;
    }
    // An operator's pause is not a stall, and a drain ends on its own.
    if (m_state != State::Running)
        m_progress.noteProgress(now);
    armGiveUp(now);
}

void Dispatcher::giveUp()
{
    m_summary.stopped = tr("no progress for %1").arg(m_progress.spokenBound());
    if (!m_lanes.empty()) {
        m_notices.notice(*m_lanes.front()->lane, tr("gave up: %1 (no row done or dead-lettered); the unfinished rows are left for a resume").arg(m_summary.stopped),
                         QStringLiteral("give-up"));
    }
    // Like a cancel: what is in flight stays "sent" in the journal, so a
    // resume sends it again; nothing is dead-lettered.
    abortInFlight();
    finish(RunSummary::Ending::GaveUp);
}

void Dispatcher::send(int laneIndex, Job job, TimePoint now)
{
    LaneSlot &slot = *m_lanes[size_t(laneIndex)];
    job.lane = laneIndex;
    slot.quietSince = now;
    slot.lane->onSend(now, job);
    const QNetworkRequest request = slot.requests.build(job.call.path, !job.call.body.isEmpty());
    for (RunObserver *o : m_observers)
        o->callSent(job);
    // A copy the API would not drop must not be sent by QNAM behind our back either.
    const bool sendOnce = !slot.lane->config().resendAmbiguous && !AttemptOutcome::resendIsSafe(job.call.operation, job.call.path);
    QNetworkReply *reply = m_transport->send(request, job.call.method, job.call.body, sendOnce);
    const Duration timeout = slot.lane->config().transferTimeout;
    m_inFlight.insert(reply, InFlight{std::move(job), false, false, now, now + timeout, false, false});
    watchBodySize(reply);
    if (!m_deadlines->isActive())
        m_deadlines->start();
    // QNAM writes the request on its own thread, and a new connection first
    // needs a handshake: the true send is later than `now`, sometimes by tens
    // of ms. The server counts arrivals, so the window must count wire times.
    connect(reply, &QNetworkReply::requestSent, this, [this, reply, laneIndex, now] {
        auto it = m_inFlight.find(reply);
        if (it == m_inFlight.end() || it->wired)
            return;
        it->wired = true;
        it->wireAt = m_clock.now();
        m_lanes[size_t(laneIndex)]->lane->onWire(now, it->wireAt);
    });
}

void Dispatcher::watchBodySize(QNetworkReply *reply)
{
    // Backpressure on QNAM's thread, which reads ahead of this one and hands
    // queued data over only once the queue is drained (signal compression), so
    // a fast endless body can starve readyRead. Set once the headers are in:
    // set at send it is lost (no transfer yet to pass it to).
    connect(reply, &QNetworkReply::metaDataChanged, reply,
            [reply] { reply->setReadBufferSize(2 * kMaxResponseBytes); });
    // readyRead, not downloadProgress: Qt emits the latter at most every
    // 150 ms, by which time a fast server has sent tens of MiB.
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        if (!ReplyReader::overCap(*reply))
            return;
        auto it = m_inFlight.find(reply);
        if (it == m_inFlight.end() || it->cancelled || it->timedOut || it->oversized)
            return;
        it->oversized = true;
        // At once, not queued: QNAM's thread keeps posting data, and a queued
        // abort waited behind tens of MiB of it. abort() settles the reply
        // synchronously (onReplyFinished), which deletes it only later.
        reply->abort();
    });
}

void Dispatcher::expireDeadlines()
{
    if (m_inFlight.isEmpty()) {
        m_deadlines->stop();
        return;
    }
    const TimePoint now = m_clock.now();
    QList<QNetworkReply *> expired;
    for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it) {
        if (!it->cancelled && !it->timedOut && it->deadline <= now) {
            it->timedOut = true;
            expired.append(it.key());
        }
    }
    // abort() settles each reply synchronously (onReplyFinished), which edits m_inFlight.
    for (QNetworkReply *reply : std::as_const(expired)) {
        if (m_inFlight.contains(reply))
            reply->abort();
    }
}

void Dispatcher::onReplyFinished(QNetworkReply *reply)
{
    auto it = m_inFlight.find(reply);
    if (it == m_inFlight.end())
        return;
    InFlight entry = std::move(it.value());
    m_inFlight.erase(it);
    reply->deleteLater();
    Job &job = entry.job;
    const int laneIndex = job.lane;
    LaneSlot &slot = *m_lanes[size_t(laneIndex)];
    const TimePoint now = m_clock.now();
    slot.quietSince = now;

    if (entry.cancelled) {
        slot.lane->onAbandoned(now);
        ++m_summary.rowsNotAttempted; // counted per call below
        m_summary.rowsNotAttempted += job.call.rows.size() - 1;
        return;
    }

    const ReplyReader::Reading answer = ReplyReader::read(*reply, entry, now, m_clock);
    if (answer.outcome.kind == AttemptOutcome::Kind::Ambiguous)
        ++m_summary.attemptsAmbiguous;
    const rate::RetryPolicy::Decision decision = slot.takeAnswer(job, answer, m_notices, now);

    AttemptRecord record = AttemptRecordBuilder::build(slot.lane->config().name, job, answer.status, answer.latency,
                                                       answer.rateSignals, decision, now, m_clock.wallNow());
    m_settler.settle(laneIndex, job, m_source ? m_source->batcher() : std::optional<imports::Batcher>{}, decision,
                     answer.status, answer.body, record);
    for (RunObserver *o : m_observers)
        o->attemptFinished(record);
    pump(); // ends the event
}

void Dispatcher::endEvent()
{
    for (RunObserver *o : m_observers)
        o->eventEnded();
}

void Dispatcher::sample()
{
    const TimePoint now = m_clock.now();
    QList<metrics::LaneSnapshot> snapshots;
    for (const auto &slot : m_lanes) {
        snapshots << slot->lane->sample(now, m_startedAt, slot->queuedCount(),
                                        m_state == State::Paused);
    }
    for (RunObserver *o : m_observers)
        o->lanesSampled(m_lanes.lanes(), now);
    emit sampled(snapshots);
    emit progressed(progress(snapshots));
}

RunProgress Dispatcher::progress(const QList<metrics::LaneSnapshot> &lanes) const
{
    return RunTally::progress(m_summary, m_source.get(), lanes, m_clock.now() - m_startedAt);
}

void Dispatcher::maybeFinish()
{
    if (m_state != State::Running && m_state != State::Draining)
        return;
    if (!m_inFlight.isEmpty())
        return;
    if (m_state == State::Draining) {
        finish(RunSummary::Ending::Drained);
        return;
    }
    for (const auto &slot : m_lanes) {
        if (slot->lane->hasRetries() || slot->hasQueued())
            return;
    }
    // The source tells its end only when asked for one more call.
    const TimePoint now = m_clock.now();
    switch (m_feed.lookForEnd(now)) {
    case JobFeed::End::Routed:
        armWake(now, now);
        return;
    case JobFeed::End::NotYet:
        return;
    case JobFeed::End::Reached:
        break;
    }
    finish(RunSummary::Ending::Completed);
}

void Dispatcher::finish(RunSummary::Ending ending)
{
    if (m_state == State::Finished)
        return;
    const TimePoint now = m_clock.now();
    if (m_wake)
        m_wake->stop();
    if (m_sampler)
        m_sampler->stop();
    if (m_deadlines)
        m_deadlines->stop();
    if (m_giveUp)
        m_giveUp->stop();
    m_budgets.stop();
    // Whatever was still waiting was never settled: a resume sends it.
    m_summary.rowsNotAttempted += m_lanes.dropWaiting() + m_feed.dropReadAhead();
    if (m_source)
        RunTally::tallySource(m_summary, *m_source, ending);
    m_summary.ending = m_summary.error.isEmpty() || ending != RunSummary::Ending::Completed
                           ? ending
                           : RunSummary::Ending::Failed;
    RunTally::tallyLanes(m_summary, m_lanes, m_startedAt, now);
    for (RunObserver *o : m_observers)
        o->lanesFinished(m_lanes.lanes(), now);
    setState(State::Finished);
    if (!m_summary.lanes.isEmpty()) {
        emit sampled(m_summary.lanes);
        emit progressed(progress(m_summary.lanes));
    }
    emit finished(m_summary);
}

} // namespace headroom::run
