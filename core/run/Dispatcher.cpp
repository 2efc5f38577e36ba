#include "core/run/Dispatcher.h"

#include "core/budget/SharedBudgetClient.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/clock/DurationText.h"
#include "core/http/HttpTransport.h"
#include "core/rate/RateSignalParser.h"
#include "core/run/AttemptRecordBuilder.h"
#include "core/run/BodyCutOff.h"
#include "core/run/LaneNotices.h"
#include "core/run/LivenessGuard.h"
#include "core/run/RunLogging.h"
#include "core/run/ParentScopeLimiter.h"
#include "core/run/ScopeLaneConfig.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace headroom::run {

using rate::RetryPolicy;
using Kind = RetryPolicy::Decision::Kind;

namespace {

constexpr qsizetype kKeptBodyBytes = 2048;
constexpr AttemptOutcome kTooLarge{AttemptOutcome::Kind::Rejected, AttemptOutcome::RejectClass::Size};
// QTimer takes an int of milliseconds: a longer bound is looked at again.
constexpr std::chrono::milliseconds kLongestTimer = std::chrono::hours(24);

double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}

// A bound as the operator wrote it: "30m", "2h", "90s".
QString spokenDuration(Duration d)
{
    using namespace std::chrono;
    if (d >= hours(1) && d % hours(1) == Duration::zero())
        return QString::number(duration_cast<hours>(d).count()) + QLatin1Char('h');
    if (d >= minutes(1) && d % minutes(1) == Duration::zero())
        return QString::number(duration_cast<minutes>(d).count()) + QLatin1Char('m');
    return DurationText::format(d);
}

} // namespace

Dispatcher::Dispatcher(std::unique_ptr<imports::CallSource> source, QList<LaneConfig> lanes, const Clock &clock,
                       QObject *parent)
    : QObject(parent)
    , m_source(std::move(source))
    , m_clock(clock)
    , m_configs(std::move(lanes))
    , m_notices(clock, m_observers)
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
    qDeleteAll(m_budgets);
    m_budgets.clear();
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
        auto slot = std::make_unique<LaneSlot>();
        slot->lane = std::make_unique<Lane>(config, now);
        slot->requests = http::RequestFactory(config.baseUrl, config.credentials);
        slot->quietSince = now;
        connections += std::max(1, config.concurrency);
        shortestTimeout = std::min(shortestTimeout, config.transferTimeout);
        m_lanes.push_back(std::move(slot));
    }
    if (!m_configs.isEmpty() && m_configs.first().scopes) {
        m_router.emplace(*m_configs.first().scopes);
        m_laneByKey.insert(scopes::ScopeSet::mainName(), 0);
    }
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
        o->lanesStarted(lanePointers(), now);

    if (!m_source || (!m_source->hasFatalError() && !m_source->open()) || m_source->hasFatalError()) {
        m_summary.error = m_source ? m_source->fatalError().toText() : QStringLiteral("no input");
        finish(RunSummary::Ending::Failed);
        return;
    }
    m_sampler->start();
    m_lastProgressAt = now;
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
        m_lastProgressAt = now;
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

bool Dispatcher::sourceExhausted() const
{
    return m_sourceDone;
}

QList<Lane *> Dispatcher::lanePointers() const
{
    QList<Lane *> out;
    for (const auto &slot : m_lanes)
        out << slot->lane.get();
    return out;
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
    if (!slot.routed.empty()) {
        Job job = std::move(slot.routed.front());
        slot.routed.pop_front();
        --m_routedCount;
        return job;
    }
    if (m_router)
        return pullFor(slot, now);
    if (m_readAhead) {
        std::optional<Job> job = std::move(m_readAhead);
        m_readAhead.reset();
        return job;
    }
    return readSource();
}

std::optional<Job> Dispatcher::readSource()
{
    if (m_sourceDone)
        return std::nullopt;
    std::optional<imports::ApiCall> call = m_source->next();
    reportBadRows();
    if (!call) {
        m_sourceDone = true;
        if (m_source->hasFatalError() && m_summary.error.isEmpty())
            m_summary.error = m_source->fatalError().toText();
        return std::nullopt;
    }
    m_summary.rowsTotal += call->rows.size();
    Job job;
    job.id = m_nextJobId++;
    job.call = std::move(*call);
    return job;
}

std::optional<Job> Dispatcher::pullFor(LaneSlot &slot, TimePoint now)
{
    while (m_routedCount < kLookAhead) {
        std::optional<Job> job = std::move(m_readAhead);
        m_readAhead.reset();
        if (!job)
            job = readSource();
        if (!job)
            return std::nullopt;
        const int index = laneForCall(job->call, now);
        if (m_lanes[size_t(index)].get() == &slot)
            return job;
        m_lanes[size_t(index)]->routed.push_back(std::move(*job));
        ++m_routedCount;
        m_routedElsewhere = true;
    }
    return std::nullopt;
}

void Dispatcher::route(Job job, TimePoint now)
{
    const int index = laneForCall(job.call, now);
    m_lanes[size_t(index)]->routed.push_back(std::move(job));
    ++m_routedCount;
}

int Dispatcher::laneForCall(const imports::ApiCall &call, TimePoint now)
{
    const scopes::ScopeRoute route = m_router->route(QString::fromLatin1(call.method), call.path);
    QList<int> parents;
    for (const scopes::ScopeMatch &parent : route.parents)
        parents << laneForScope(parent, now);
    const int index = laneForScope(route.lane, now, !parents.isEmpty());
    Lane &lane = *m_lanes[size_t(index)]->lane;
    for (int parent : std::as_const(parents))
        lane.addParent(m_lanes[size_t(parent)]->lane.get(), now);
    return index;
}

int Dispatcher::laneForScope(const scopes::ScopeMatch &match, TimePoint now, bool underParent)
{
    if (const auto it = m_laneByKey.constFind(match.key); it != m_laneByKey.cend())
        return *it;
    auto slot = std::make_unique<LaneSlot>();
    const LaneConfig config = ScopeLaneConfig::derive(m_configs.first(), match, underParent);
    slot->lane = std::make_unique<Lane>(config, now);
    slot->requests = http::RequestFactory(config.baseUrl, config.credentials);
    slot->quietSince = now;
    const int index = int(m_lanes.size());
    m_lanes.push_back(std::move(slot));
    m_laneByKey.insert(match.key, index);
    int total = 0;
    for (const auto &lane : m_lanes)
        total += std::max(1, lane->lane->config().concurrency);
    m_transport->setMaxConnections(total);
    qCInfo(lcRun).noquote() << "scope lane" << config.name << "opened";
    startSharedBudget(size_t(index));
    for (RunObserver *o : m_observers)
        o->laneAdded(m_lanes.back()->lane.get(), now);
    return index;
}

void Dispatcher::startSharedBudget(size_t index)
{
    budget::SharedBudgetLimiter *shared = m_lanes[index]->lane->sharedBudget();
    if (!shared)
        return;
    auto *client = new budget::SharedBudgetClient(shared, m_clock, this);
    connect(client, &budget::SharedBudgetClient::wake, this, &Dispatcher::pump);
    connect(client, &budget::SharedBudgetClient::notice, this,
            [this, index](const QString &text) { m_notices.notice(*m_lanes[index]->lane, text); });
    m_budgets.push_back(client);
    client->start();
}

void Dispatcher::reportBadRows()
{
    const QList<imports::RowProblem> problems = m_source->takeProblems();
    for (const imports::RowProblem &problem : problems) {
        if (problem.row <= 0)
            continue; // file-level: reported through fatalError()
        ++m_summary.rowsTotal;
        ++m_summary.rowsBad;
        FailedRows failed;
        failed.lane = m_lanes.empty() ? QString() : m_lanes.front()->lane->config().name;
        failed.rows = {problem.row};
        failed.lines = {problem.line};
        failed.reason = problem.toText();
        failed.raw = problem.raw;
        failed.outcome = AttemptOutcome::ofProblem(problem.payloadRule, problem.message);
        m_summary.countOutcome(failed.outcome, 1);
        ++m_summary.rowsFailed;
        m_lastProgressAt = m_clock.now();
        if (!m_lanes.empty())
            ++m_lanes.front()->lane->counters().rowsFailed;
        for (RunObserver *o : m_observers)
            o->rowsFailed(failed);
    }
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
        m_routedElsewhere = false;
        wake = sendDue(now);
    } while (m_routedElsewhere);
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
    // Work: rows unread or held back (waiting all along), or a retry from the
    // moment it is due.
    // With scopes, unread rows wait on the main lane, which reads for all.
    const bool reads = !m_router || &slot == m_lanes.front().get();
    const bool rowsWaiting = !slot.held.empty() || !slot.routed.empty() || (reads && (m_readAhead || !m_sourceDone));
    const TimePoint workFrom = rowsWaiting ? slot.quietSince : slot.lane->nextRetryDue();
    // A lane held by its wider scope's lane waits what that lane was told
    // (a pause, a reset), which this lane's guard cannot see: the wider
    // lane's own guard speaks for both.
    if (m_router && ParentScopeLimiter::isParentName(slot.lane->limiters().binding(now).limiter))
        return TimePoint::max();
    return LivenessGuard::dueAt(*slot.lane, workFrom, slot.quietSince, slot.toldUntil, now);
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
    if (m_giveUpAfter == Duration::max() || m_state == State::Finished)
        return;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(LivenessGuard::later(m_lastProgressAt, m_giveUpAfter) - now);
    m_giveUp->start(std::clamp(left, std::chrono::milliseconds(0), kLongestTimer));
}

void Dispatcher::checkProgress()
{
    const TimePoint now = m_clock.now();
    if (m_state == State::Running && now - m_lastProgressAt >= m_giveUpAfter) {
        giveUp();
        return;
    }
    // An operator's pause is not a stall, and a drain ends on its own.
    if (m_state != State::Running)
        m_lastProgressAt = now;
    armGiveUp(now);
}

void Dispatcher::giveUp()
{
    m_summary.stopped = tr("no progress for %1").arg(spokenDuration(m_giveUpAfter));
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
        bool announced = false;
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&announced);
        if (reply->bytesAvailable() <= kMaxResponseBytes && (!announced || length <= kMaxResponseBytes))
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

QString Dispatcher::cutOffReason(const QNetworkReply *reply, const InFlight &entry, qsizetype bodySize) const
{
    BodyCutOff::Facts facts;
    facts.oversized = entry.oversized;
    facts.maxBytes = kMaxResponseBytes;
    facts.timedOut = entry.timedOut;
    facts.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    facts.transferFailed = reply->error() != QNetworkReply::NoError;
    facts.errorText = reply->errorString();
    bool ok = false;
    const qint64 announced = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
    if (ok)
        facts.announced = announced;
    facts.encoded = !reply->rawHeader("Content-Encoding").isEmpty();
    facts.head = reply->operation() == QNetworkAccessManager::HeadOperation;
    facts.bodySize = bodySize;
    return BodyCutOff::reason(facts);
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

    const int answered = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    // A reply our timeout (or the size cap) aborted is closed; reading it would only warn.
    // QIODevice::read(max) allocates `max` bytes before it reads, and the
    // body keeps that capacity (job.lastBody shares it): read what the reply
    // holds, which watchBodySize keeps within the cap.
    const QByteArray body = reply->isOpen() ? reply->read(std::min(reply->bytesAvailable(), kMaxResponseBytes))
                                            : QByteArray();
    // A body that is not the whole answer is an ambiguous outcome, never done:
    // the server may or may not have acted, and a batch's per-row results are
    // lost. It is retried as a transport error, and the run log says why.
    const QString cutOff = cutOffReason(reply, entry, body.size());
    const int status = cutOff.isEmpty() ? answered : 0;
    rate::ResponseObservation observation;
    observation.status = status;
    observation.latency = now - job.lastSentAt;
    observation.sentAt = job.lastSentAt;
    observation.wireAt = std::max(entry.wireAt, job.lastSentAt);
    // Our deadline and a cancel both abort() (OperationCanceledError); each is flagged.
    observation.timedOut = entry.timedOut;
    observation.transportError =
        status == 0 && !observation.timedOut && (error != QNetworkReply::NoError || !cutOff.isEmpty());
    const rate::RateSignals rateSignals =
        rate::RateSignalParser::parse(answered, reply->rawHeaderPairs(), body, m_clock);
    observation.rateSignals = &rateSignals;

    job.lastWireAt = observation.wireAt;
    AttemptOutcome::Facts facts;
    facts.method = job.call.method;
    facts.answered = answered;
    facts.cutOff = !cutOff.isEmpty();
    facts.sent = entry.wired;
    facts.timedOut = entry.timedOut;
    facts.transportError = error != QNetworkReply::NoError;
    facts.body = body;
    job.lastOutcome = AttemptOutcome::classify(facts);
    const bool ambiguous = job.lastOutcome.kind == AttemptOutcome::Kind::Ambiguous;
    if (ambiguous)
        ++m_summary.attemptsAmbiguous;
    // An ambiguous attempt goes again only as the same request, with the same
    // key, and only where the API drops the copy (or the operator allows it).
    const bool mayResend = !ambiguous || slot.lane->config().resendAmbiguous
                           || AttemptOutcome::resendIsSafe(job.call.operation, job.call.path);
    const std::optional<int> limitBefore = slot.lane->config().limit;
    const Duration windowBefore = slot.lane->config().window;
    const RetryPolicy::Decision decision = slot.lane->onResult(now, job, observation, mayResend);
    if (slot.lane->config().limit != limitBefore || slot.lane->config().window != windowBefore)
        m_notices.noteScopeLimit(*slot.lane, limitBefore, windowBefore);
    slot.toldUntil = LivenessGuard::toldUntil(slot.toldUntil, rateSignals, decision, now);
    if (status == 429)
        m_notices.noteGrantedBudget(*slot.lane, slot.grantedTold);
    job.lastBody = body.left(kKeptBodyBytes);
    if (!cutOff.isEmpty())
        job.lastError = cutOff;
    else
        job.lastError = status == 0 ? (observation.timedOut ? QStringLiteral("timeout") : reply->errorString())
                                    : QString();

    AttemptRecord record = AttemptRecordBuilder::build(slot.lane->config().name, job, status, observation.latency,
                                                       rateSignals, decision, now, m_clock.wallNow());

    settle(laneIndex, job, decision, status, body, record);
    for (RunObserver *o : m_observers)
        o->attemptFinished(record);
    pump(); // ends the event
}

void Dispatcher::endEvent()
{
    for (RunObserver *o : m_observers)
        o->eventEnded();
}

void Dispatcher::settle(int laneIndex, Job &job, const RetryPolicy::Decision &decision, int status,
                        const QByteArray &body, AttemptRecord &record)
{
    const auto &batcher = m_source ? m_source->batcher() : std::optional<imports::Batcher>{};
    const bool isBatch = batcher.has_value() && job.call.operation == QLatin1String("batch");

    if (decision.kind == Kind::RetryAt || decision.kind == Kind::PauseLane)
        return; // queued by the lane; goes back through its limiters

    if (isBatch && settleBatch(laneIndex, job, *batcher, decision, status, body, record))
        return;

    switch (decision.kind) {
    case Kind::Done:
        markDone(laneIndex, job, job.call.rows);
        break;
    case Kind::SplitBatch:
        markFailed(laneIndex, job, job.call.rows, job.call.lines,
                   tr("HTTP 413: the request is too large for the API and cannot be split"), kTooLarge);
        record.decision = QStringLiteral("dead-letter");
        break;
    case Kind::DeadLetter:
        markFailed(laneIndex, job, job.call.rows, job.call.lines, decision.reason,
                   job.lastOutcome.kind == AttemptOutcome::Kind::Delivered
                       ? AttemptOutcome{AttemptOutcome::Kind::Rejected, AttemptOutcome::RejectClass::Other}
                       : job.lastOutcome);
        break;
    case Kind::RetryAt:
    case Kind::PauseLane:
        break;
    }
}

bool Dispatcher::settleBatch(int laneIndex, Job &job, const imports::Batcher &batcher,
                             const RetryPolicy::Decision &decision, int status, const QByteArray &body,
                             AttemptRecord &record)
{
    const imports::BatchResult result = batcher.mapResponse(job.call, status, body);
    switch (result.action) {
    case imports::BatchResult::Action::Settled:
        settleBatchRows(laneIndex, job, batcher, result, record);
        return true;
    case imports::BatchResult::Action::Split: {
        if (job.call.rows.size() > 1) {
            LaneSlot &slot = *m_lanes[size_t(laneIndex)];
            const QList<imports::ApiCall> halves = batcher.split(job.call);
            for (auto it = halves.crbegin(); it != halves.crend(); ++it) {
                Job half;
                half.id = m_nextJobId++;
                half.call = *it;
                slot.held.push_front(std::move(half));
            }
            record.decision = QStringLiteral("split");
            record.reason = result.reason;
            return true;
        }
        markFailed(laneIndex, job, job.call.rows, job.call.lines,
                   result.reason.isEmpty() ? decision.reason : result.reason, kTooLarge);
        record.decision = QStringLiteral("dead-letter");
        return true;
    }
    case imports::BatchResult::Action::RetryAll:
        break; // the policy already decided (not retryable any more)
    }
    return false;
}

void Dispatcher::settleBatchRows(int laneIndex, const Job &job, const imports::Batcher &batcher,
                                 const imports::BatchResult &result, AttemptRecord &record)
{
    QList<qint64> done;
    QList<qint64> again;
    for (const imports::RowOutcome &row : result.rows) {
        if (row.kind == imports::RowOutcome::Kind::Done) {
            done << row.row;
        } else if (row.kind == imports::RowOutcome::Kind::Failed) {
            markFailed(laneIndex, job, {row.row}, {row.line}, row.reason, AttemptOutcome::ofProblem(false, row.reason));
        } else {
            again << row.row;
        }
    }
    if (!done.isEmpty())
        markDone(laneIndex, job, done);
    if (!again.isEmpty()) {
        Job retry = job;
        retry.id = m_nextJobId++;
        retry.call = batcher.subset(job.call, again);
        m_lanes[size_t(laneIndex)]->held.push_front(std::move(retry));
        record.decision = QStringLiteral("partial");
    }
}

void Dispatcher::markDone(int laneIndex, const Job &job, const QList<qint64> &rows)
{
    Lane &lane = *m_lanes[size_t(laneIndex)]->lane;
    lane.onRowsDone(job.lastWireAt != TimePoint{} ? job.lastWireAt : job.lastSentAt, rows.size());
    m_summary.rowsDone += rows.size();
    m_lastProgressAt = m_clock.now();
    for (RunObserver *o : m_observers)
        o->rowsDone(rows);
}

void Dispatcher::markFailed(int laneIndex, const Job &job, const QList<qint64> &rows, const QList<qint64> &lines,
                            const QString &reason, const AttemptOutcome &outcome)
{
    Lane &lane = *m_lanes[size_t(laneIndex)]->lane;
    lane.counters().rowsFailed += rows.size();
    m_summary.rowsFailed += rows.size();
    m_summary.countOutcome(outcome, rows.size());
    m_lastProgressAt = m_clock.now();
    FailedRows failed;
    failed.lane = lane.config().name;
    failed.call = job.call;
    failed.rows = rows;
    failed.lines = lines;
    failed.attempts = job.attempt;
    failed.lastStatus = job.lastStatus;
    failed.lastBody = job.lastBody;
    failed.reason = reason;
    failed.outcome = outcome;
    for (RunObserver *o : m_observers)
        o->rowsFailed(failed);
}

void Dispatcher::sample()
{
    const TimePoint now = m_clock.now();
    QList<metrics::LaneSnapshot> snapshots;
    for (const auto &slot : m_lanes) {
        snapshots << slot->lane->sample(now, m_startedAt, qint64(slot->held.size() + slot->routed.size()),
                                        m_state == State::Paused);
    }
    for (RunObserver *o : m_observers)
        o->lanesSampled(lanePointers(), now);
    emit sampled(snapshots);
    emit progressed(progress(snapshots));
}

RunProgress Dispatcher::progress(const QList<metrics::LaneSnapshot> &lanes) const
{
    RunProgress p;
    p.elapsedS = seconds(m_clock.now() - m_startedAt);
    p.rowsRead = m_summary.rowsTotal;
    p.rowsDone = m_summary.rowsDone;
    p.rowsFailed = m_summary.rowsFailed;
    if (m_source) {
        if (auto total = m_source->totalRows())
            p.totalRows = std::max<qint64>(0, *total - m_source->skippedRows() - m_source->filteredRows());
        p.fileFraction = m_source->progress();
    }
    for (const auto &lane : lanes) {
        p.requests += lane.requests;
        p.responses429 += lane.responses429;
        p.retries += lane.retries;
        p.inFlight += lane.inFlight;
        p.rowsPerS += lane.rowsPerS;
    }
    return p;
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
        if (slot->lane->hasRetries() || !slot->held.empty() || !slot->routed.empty())
            return;
    }
    if (m_readAhead)
        return;
    if (!m_sourceDone && m_router) {
        // As below; the call goes to its own lane, which may be free now.
        if (std::optional<Job> job = readSource()) {
            const TimePoint now = m_clock.now();
            route(std::move(*job), now);
            armWake(now, now);
            return;
        }
    }
    if (!m_sourceDone) {
        // The source tells its end only when asked for one more call, and the
        // lanes ask only when they may send: after a last row sent into a full
        // window, that is up to a window after its answer. Ask now, so the run
        // ends with its last answer; a call that is there waits for its slot.
        m_readAhead = readSource();
        if (!m_sourceDone || m_readAhead)
            return;
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
    for (budget::SharedBudgetClient *client : m_budgets)
        client->stop();
    // Whatever was still waiting was never settled: a resume sends it.
    for (const auto &slot : m_lanes) {
        for (const Job &job : slot->lane->takeAllRetries())
            m_summary.rowsNotAttempted += job.call.rows.size();
        for (const Job &job : slot->held)
            m_summary.rowsNotAttempted += job.call.rows.size();
        for (const Job &job : slot->routed)
            m_summary.rowsNotAttempted += job.call.rows.size();
        slot->held.clear();
        slot->routed.clear();
    }
    m_routedCount = 0;
    if (m_readAhead) {
        m_summary.rowsNotAttempted += m_readAhead->call.rows.size();
        m_readAhead.reset();
    }
    if (m_source) {
        m_summary.rowsSkipped = m_source->skippedRows();
        m_summary.rowsUnchanged = m_source->filteredRows();
        if (ending != RunSummary::Ending::Completed && ending != RunSummary::Ending::Failed) {
            // Rows never read count too, when the file's length is known.
            if (auto total = m_source->totalRows())
                m_summary.rowsNotAttempted += std::max<qint64>(
                    0, *total - m_source->skippedRows() - m_source->filteredRows() - m_summary.rowsTotal);
        }
    }
    m_summary.ending = m_summary.error.isEmpty() || ending != RunSummary::Ending::Completed
                           ? ending
                           : RunSummary::Ending::Failed;
    tallyLanes(now);
    for (RunObserver *o : m_observers)
        o->lanesFinished(lanePointers(), now);
    setState(State::Finished);
    if (!m_summary.lanes.isEmpty()) {
        emit sampled(m_summary.lanes);
        emit progressed(progress(m_summary.lanes));
    }
    emit finished(m_summary);
}

void Dispatcher::tallyLanes(TimePoint now)
{
    m_summary.elapsedS = seconds(now - m_startedAt);
    m_summary.requests = 0;
    m_summary.responses429 = 0;
    m_summary.retries = 0;
    m_summary.timeouts = 0;
    m_summary.transportErrors = 0;
    m_summary.responses5xx = 0;
    m_summary.lanes.clear();
    for (const auto &slot : m_lanes) {
        const auto &c = slot->lane->counters();
        m_summary.requests += c.requestsSent;
        m_summary.responses429 += c.responses429;
        m_summary.retries += c.retries;
        m_summary.timeouts += c.timeouts;
        m_summary.transportErrors += c.transportErrors;
        m_summary.responses5xx += c.responses5xx;
        m_summary.lanes << slot->lane->sample(now, m_startedAt, 0, false);
    }
}

} // namespace headroom::run
