#include "core/budget/SharedBudgetClient.h"

#include "core/budget/BudgetLogging.h"
#include "core/budget/GcraScript.h"
#include "core/budget/RedisConnection.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/text/EscapedText.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace headroom::budget {

namespace {

qint64 micros(Duration d)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

// A Redis that answers but grants nothing must not be asked again at once,
// or the lane asks in a busy loop: the asks back off from 10 ms,
// doubling up to the probe interval, and after this many in a row the lane
// paces locally as if Redis were away.
constexpr int kBackoffStartMs = 10;
constexpr int kRefusalsBeforeFallback = 5;
// A Redis error's text reaches the run log and stderr: a line's worth.
constexpr qsizetype kReasonChars = 300;

// The words of a peer, safe for a terminal: control characters escaped as the
// run log escapes them, and no longer than a line.
QString shownReason(const QString &reason)
{
    QString shown = text::EscapedText::controlsEscaped(reason);
    if (shown.size() > kReasonChars)
        shown = shown.left(kReasonChars) + QStringLiteral("…");
    return shown;
}

int millis(Duration d)
{
    return int(std::max<qint64>(1, std::chrono::duration_cast<std::chrono::milliseconds>(d).count()));
}

} // namespace

SharedBudgetClient::SharedBudgetClient(SharedBudgetLimiter *limiter, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_limiter(limiter)
    , m_clock(clock)
    , m_connection(new RedisConnection(this))
    , m_timeout(new QTimer(this))
    , m_tick(new QTimer(this))
    , m_backoff(new QTimer(this))
{
    m_processId = QHostInfo::localHostName().toUtf8() + ':' + QByteArray::number(QCoreApplication::applicationPid())
                  + ':' + QByteArray::number(QRandomGenerator::global()->generate(), 16);
    m_timeout->setSingleShot(true);
    m_timeout->setTimerType(Qt::PreciseTimer);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        goAway(tr("no answer within %1 ms").arg(millis(m_limiter->config().answerTimeout)));
    });
    m_connection->setPasswordInClearAllowed(m_limiter->config().allowPasswordInClear);
    m_backoff->setSingleShot(true);
    connect(m_backoff, &QTimer::timeout, this, [this] { reserve(false); });
    m_tick->setInterval(millis(m_limiter->config().probeInterval));
    connect(m_tick, &QTimer::timeout, this, &SharedBudgetClient::onTick);
    connect(m_connection, &RedisConnection::lost, this, [this](const QString &reason) {
        if (!m_stopped)
            goAway(reason);
    });
    m_limiter->setDemandHandler([this] {
        // Asked from inside the dispatcher's pump: this only writes to a socket.
        if (!m_outstanding && !m_stopped && m_limiter->mode() == SharedBudgetLimiter::Mode::Shared)
            reserve(false);
    });
}

SharedBudgetClient::~SharedBudgetClient()
{
    m_limiter->setDemandHandler({});
    // Its pending callbacks run on destruction and point back here: let them
    // find us whole (and stopped) rather than half destroyed by ~QObject.
    m_stopped = true;
    delete m_connection;
    m_connection = nullptr;
}

void SharedBudgetClient::start()
{
    m_stopped = false;
    qCInfo(lcBudget).noquote() << "shared budget" << m_limiter->config().url.redacted();
    openConnection();
    m_tick->start();
}

void SharedBudgetClient::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_tick->stop();
    m_timeout->stop();
    m_backoff->stop();
    if (m_connection->isConnected()) {
        m_connection->command({"ZREM", m_limiter->config().url.processesKey(), m_processId}, [](const RedisValue &) {});
    }
    const Stats s = stats();
    qCInfo(lcBudget).noquote() << QStringLiteral("shared budget: %1 reservations, %2 failures, round trip p50 %3 ms, p99 %4 ms, max %5 ms")
                                      .arg(s.reservations)
                                      .arg(s.failures)
                                      .arg(s.roundTripP50Ms, 0, 'f', 3)
                                      .arg(s.roundTripP99Ms, 0, 'f', 3)
                                      .arg(s.roundTripMaxMs, 0, 'f', 3);
}

void SharedBudgetClient::openConnection()
{
    m_connection->open(m_limiter->config().url);
    // Loaded on every new connection: a restarted Redis has forgotten it.
    m_connection->command({"SCRIPT", "LOAD", GcraScript::source()}, [](const RedisValue &v) {
        if (v.type == RedisValue::Type::Error)
            qCWarning(lcBudget) << "Redis refused the budget script:" << v.text;
    });
    reserve(false);
}

QList<QByteArray> SharedBudgetClient::scriptCall(bool withSource, int wanted, qint64 publishLimit,
                                                 qint64 publishPeriodUs) const
{
    const SharedBudgetConfig &c = m_limiter->config();
    return {withSource ? QByteArray("EVAL") : QByteArray("EVALSHA"),
            withSource ? GcraScript::source() : GcraScript::sha1(),
            "2",
            c.url.budgetKey(),
            c.url.processesKey(),
            QByteArray::number(std::max(1, c.limit)),
            QByteArray::number(micros(c.period)),
            QByteArray::number(micros(2 * c.jitter)),
            QByteArray::number(wanted),
            m_processId,
            QByteArray::number(micros(c.processTtl)),
            QByteArray::number(publishLimit),
            QByteArray::number(publishPeriodUs)};
}

void SharedBudgetClient::reserve(bool heartbeat)
{
    if (m_outstanding || m_stopped || (!heartbeat && m_backoff->isActive()))
        return;
    if (!m_connection->isConnected() && !m_connection->isOpening())
        return;
    const TimePoint now = m_clock.now();
    const int wanted = m_limiter->slotsWanted(now);
    if (wanted == 0 && !heartbeat)
        return;
    qint64 publishLimit = 0;
    qint64 publishPeriodUs = 0;
    if (auto publish = m_limiter->takePublish()) {
        publishLimit = publish->first;
        publishPeriodUs = publish->second;
        qCInfo(lcBudget).noquote() << "publishing the limit learned from headers:" << publishLimit << "per"
                                   << publishPeriodUs / 1000 << "ms";
    }
    m_outstanding = true;
    m_askedAt = now;
    m_askedFor = wanted;
    const quint64 attempt = ++m_attempt;
    m_lastCall = scriptCall(false, wanted, publishLimit, publishPeriodUs);
    m_timeout->start(millis(m_limiter->config().answerTimeout));
    m_connection->command(m_lastCall, [this, attempt](const RedisValue &reply) { onAnswer(attempt, reply, false); });
}

void SharedBudgetClient::onAnswer(quint64 attempt, const RedisValue &reply, bool retriedWithEval)
{
    if (attempt != m_attempt || m_stopped)
        return;
    if (!retriedWithEval && reply.type == RedisValue::Type::Error && reply.text.startsWith("NOSCRIPT")) {
        // Someone flushed the script cache: send the source once.
        QList<QByteArray> call = m_lastCall;
        call[0] = "EVAL";
        call[1] = GcraScript::source();
        m_connection->command(call, [this, attempt](const RedisValue &again) { onAnswer(attempt, again, true); });
        return;
    }
    if (reply.type == RedisValue::Type::Failed)
        return; // the connection went; `lost` or the timeout says so
    m_timeout->stop();
    m_outstanding = false;
    const TimePoint now = m_clock.now();
    QByteArray error;
    const std::optional<Reservation> reservation = GcraScript::parse(reply, &error);
    if (!reservation) {
        goAway(QString::fromUtf8(error));
        return;
    }
    if (m_askedFor > 0 && reservation->offsetsUs.isEmpty()) {
        onNothingGranted();
        return;
    }
    m_refusals = 0;
    ++m_reservations;
    if (m_roundTripsMs.size() < 1'000'000)
        m_roundTripsMs.push_back(float(std::chrono::duration<double, std::milli>(now - m_askedAt).count()));
    m_lastAnswerAt = now;
    const auto before = m_limiter->mode();
    m_limiter->onReservation(m_askedAt, now, *reservation);
    if (before != SharedBudgetLimiter::Mode::Shared) {
        const QString text = before == SharedBudgetLimiter::Mode::Fallback
                                 ? tr("shared budget %1 is back: drawing from it again (processes seen: %2)")
                                 : tr("shared budget %1: drawing from it (processes seen: %2)");
        emit notice(text.arg(m_limiter->config().url.redacted()).arg(m_limiter->processesSeen()));
    }
    emit wake();
    if (m_limiter->slotsWanted(now) > 0)
        reserve(false);
}

void SharedBudgetClient::onNothingGranted()
{
    ++m_refusals;
    ++m_failures;
    // Away already: stay away; the tick probes again in a second.
    if (m_limiter->mode() == SharedBudgetLimiter::Mode::Fallback)
        return;
    if (m_refusals >= kRefusalsBeforeFallback) {
        goAway(tr("Redis answered %1 times in a row without granting a slot").arg(m_refusals));
        return;
    }
    const int cap = millis(m_limiter->config().probeInterval);
    const int wait = std::min(cap, kBackoffStartMs << std::min(m_refusals - 1, 16));
    m_backoff->start(wait);
}

void SharedBudgetClient::goAway(const QString &reason)
{
    if (m_stopped)
        return;
    ++m_failures;
    ++m_attempt; // whatever answers later belongs to a connection we gave up
    m_outstanding = false;
    m_timeout->stop();
    m_backoff->stop();
    m_connection->close(reason.toUtf8());
    const auto before = m_limiter->mode();
    m_limiter->onUnavailable(m_clock.now());
    if (before != SharedBudgetLimiter::Mode::Fallback) {
        const double perWindow = m_limiter->fallbackLimit();
        emit notice(tr("shared budget %1 unavailable (%2): pacing locally at %3 per %4 ms, 1/%5 of the limit %6")
                        .arg(m_limiter->config().url.redacted(), shownReason(reason))
                        .arg(perWindow)
                        .arg(std::chrono::duration_cast<std::chrono::milliseconds>(m_limiter->period()).count())
                        .arg(m_limiter->processesSeen())
                        .arg(m_limiter->limit()));
    }
    emit wake();
}

void SharedBudgetClient::onTick()
{
    if (m_stopped || m_outstanding)
        return;
    if (m_limiter->mode() != SharedBudgetLimiter::Mode::Shared) {
        // Away: try again; the first answer switches back.
        if (!m_connection->isConnected() && !m_connection->isOpening())
            openConnection();
        else
            reserve(true);
        return;
    }
    // An idle lane still counts as a process of this budget.
    if (m_clock.now() - m_lastAnswerAt >= m_limiter->config().probeInterval)
        reserve(true);
}

SharedBudgetClient::Stats SharedBudgetClient::stats() const
{
    Stats s;
    s.reservations = m_reservations;
    s.failures = m_failures;
    if (!m_roundTripsMs.empty()) {
        std::vector<float> sorted = m_roundTripsMs;
        std::sort(sorted.begin(), sorted.end());
        auto at = [&](double q) { return double(sorted[std::min(sorted.size() - 1, size_t(q * double(sorted.size())))]); };
        s.roundTripP50Ms = at(0.5);
        s.roundTripP99Ms = at(0.99);
        s.roundTripMaxMs = double(sorted.back());
    }
    return s;
}

} // namespace headroom::budget
