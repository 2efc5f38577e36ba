#include "core/rate/RetryPolicy.h"

#include "core/rate/RateSignals.h"
#include "core/rate/RetryBudget.h"

#include <algorithm>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>

// Reasons end up in dead letters and the run log the operator reads: they are
// translatable, while outcome and kind names are stable identifiers.
namespace headroom::rate {

namespace {
double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}
Duration fromSeconds(double s)
{
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}
QString secondsText(Duration d)
{
    return QString::number(seconds(d), 'f', 3).remove(QRegularExpression(QStringLiteral("\\.?0+$")));
}
} // namespace

RetryPolicy::RetryPolicy()
    : RetryPolicy(Config{})
{
}

RetryPolicy::RetryPolicy(Config config)
    : m_config(config)
{
    m_config.maxAttempts = std::max(1, m_config.maxAttempts);
}

QString RetryPolicy::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Done: return QStringLiteral("done");
    case Outcome::Throttled: return QStringLiteral("throttled");
    case Outcome::Retryable: return QStringLiteral("retryable");
    case Outcome::Permanent: return QStringLiteral("permanent");
    case Outcome::SplitBatch: return QStringLiteral("split-batch");
    }
    return QString();
}

QString RetryPolicy::kindName(Decision::Kind kind)
{
    switch (kind) {
    case Decision::Kind::Done: return QStringLiteral("done");
    case Decision::Kind::RetryAt: return QStringLiteral("retry");
    case Decision::Kind::DeadLetter: return QStringLiteral("dead-letter");
    case Decision::Kind::SplitBatch: return QStringLiteral("split-batch");
    case Decision::Kind::PauseLane: return QStringLiteral("pause-lane");
    }
    return QString();
}

RetryPolicy::Classification RetryPolicy::classify(const ResponseObservation &o)
{
    if (o.timedOut)
        return {Outcome::Retryable, QCoreApplication::translate("RetryPolicy", "timed out")};
    if (o.transportError)
        return {Outcome::Retryable, QCoreApplication::translate("RetryPolicy", "transport error")};
    const int s = o.status;
    if (s <= 0)
        return {Outcome::Retryable, QCoreApplication::translate("RetryPolicy", "no response")};
    if (s >= 200 && s <= 299)
        return {Outcome::Done, QString()};
    if (s == 429)
        return {Outcome::Throttled, QCoreApplication::translate("RetryPolicy", "HTTP 429 Too Many Requests")};
    if (s == 403 && o.rateSignals
        && (o.rateSignals->retryAfter || (o.rateSignals->remaining && *o.rateSignals->remaining == 0)))
        return {Outcome::Throttled, QCoreApplication::translate("RetryPolicy", "HTTP 403 with rate-limit headers")}; // GitHub's secondary limits
    if (s == 413)
        return {Outcome::SplitBatch, QCoreApplication::translate("RetryPolicy", "HTTP 413 Payload Too Large")};
    if (s == 408)
        return {Outcome::Retryable, QCoreApplication::translate("RetryPolicy", "HTTP 408 Request Timeout")};
    if (s == 501 || s == 505)
        return {Outcome::Permanent, QCoreApplication::translate("RetryPolicy", "HTTP %1: the server will never support this request").arg(s)};
    if (s >= 500 && s <= 599)
        return {Outcome::Retryable, QCoreApplication::translate("RetryPolicy", "HTTP %1").arg(s)};
    if (s >= 400 && s <= 499)
        return {Outcome::Permanent, QCoreApplication::translate("RetryPolicy", "HTTP %1").arg(s)};
    return {Outcome::Permanent, QCoreApplication::translate("RetryPolicy", "unexpected HTTP %1").arg(s)};
}

RetryPolicy::Decision RetryPolicy::throttled(Decision d, std::optional<TimePoint> serverWait, const QString &serverSaid,
                                             TimePoint now) const
{
    // Throttling is never the row's fault: it slows the lane and spends none
    // of the row's attempts, and no per-row deadline ends it (the run's
    // no-progress bound does).
    if (!serverWait) {
        d.kind = Decision::Kind::RetryAt;
        d.at = now;
        d.reason = QCoreApplication::translate("RetryPolicy", "%1: back through the lane's limits").arg(d.classification.reason);
        return d;
    }
    const Duration asked = std::max(Duration::zero(), *serverWait - now);
    d.kind = Decision::Kind::PauseLane;
    if (asked > m_config.serverWaitCap) {
        d.delay = m_config.serverWaitCap;
        d.reason = QCoreApplication::translate("RetryPolicy", "%1: %2 asks for %3 s, more than the %4 s cap; lane paused for %4 s")
                       .arg(d.classification.reason, serverSaid, secondsText(asked), secondsText(m_config.serverWaitCap));
    } else {
        d.delay = asked;
        d.reason = QCoreApplication::translate("RetryPolicy", "%1: %2 %3 s").arg(d.classification.reason, serverSaid, secondsText(asked));
    }
    d.at = now + d.delay;
    return d;
}

Duration RetryPolicy::backoff(int attempt, Duration previousDelay, RandomSource &random) const
{
    const double base = std::max(0.0, seconds(m_config.baseDelay));
    const double cap = std::max(base, seconds(m_config.maxDelay));
    if (m_config.jitter == Jitter::Decorrelated) {
        // min(cap, random(base, prev * 3))
        const double prev = std::max(base, seconds(previousDelay));
        std::uniform_real_distribution<double> pick(base, std::max(base, prev * 3.0));
        return fromSeconds(std::min(cap, pick(random)));
    }
    // Full jitter: random(0, min(cap, base * 2^(attempt-1)))
    const int exponent = std::clamp(attempt - 1, 0, 62);
    const double ceiling = std::min(cap, base * std::ldexp(1.0, exponent));
    std::uniform_real_distribution<double> pick(0.0, ceiling);
    return fromSeconds(ceiling > 0.0 ? pick(random) : 0.0);
}

RetryPolicy::Decision RetryPolicy::decide(int attempt, TimePoint firstAttemptAt, const ResponseObservation &o,
                                          TimePoint now, RandomSource &random, Duration previousDelay,
                                          RetryBudget *budget) const
{
    Decision d;
    d.classification = classify(o);
    const TimePoint deadline = firstAttemptAt + m_config.deadline;
    auto deadLetter = [&](const QString &why) {
        d.kind = Decision::Kind::DeadLetter;
        d.reason = why;
        d.at = now;
        return d;
    };

    switch (d.classification.outcome) {
    case Outcome::Done:
        d.kind = Decision::Kind::Done;
        return d;
    case Outcome::Permanent:
        return deadLetter(d.classification.reason);
    case Outcome::SplitBatch:
        d.kind = Decision::Kind::SplitBatch;
        d.reason = d.classification.reason;
        return d;
    case Outcome::Throttled:
    case Outcome::Retryable:
        break;
    }

    // A wait the server asked for beats anything we would compute.
    std::optional<TimePoint> serverWait;
    QString serverSaid;
    if (o.rateSignals) {
        if (o.rateSignals->nextWindowAt) {
            serverWait = o.rateSignals->nextWindowAt;
            serverSaid = QStringLiteral("msBeforeNext");
        } else if (o.rateSignals->retryAfterAt) {
            serverWait = o.rateSignals->retryAfterAt;
            serverSaid = QStringLiteral("Retry-After");
        } else if (d.classification.outcome == Outcome::Throttled && o.rateSignals->remaining
                   && *o.rateSignals->remaining == 0 && o.rateSignals->resetAt) {
            serverWait = o.rateSignals->resetAt;
            serverSaid = QCoreApplication::translate("RetryPolicy", "rate-limit reset");
        }
    }

    if (d.classification.outcome == Outcome::Throttled)
        return throttled(d, serverWait, serverSaid, now);

    if (attempt >= m_config.maxAttempts)
        return deadLetter(QCoreApplication::translate("RetryPolicy", "%1; gave up after %2 attempts").arg(d.classification.reason).arg(attempt));

    Duration delay = backoff(attempt, previousDelay, random);
    if (serverWait) { // e.g. 503 with Retry-After
        delay = std::min(std::max(Duration::zero(), *serverWait - now), m_config.serverWaitCap);
        d.reason = QCoreApplication::translate("RetryPolicy", "%1: %2 %3 s").arg(d.classification.reason, serverSaid, secondsText(delay));
    } else {
        d.reason = QCoreApplication::translate("RetryPolicy", "%1: backoff %2 s").arg(d.classification.reason, secondsText(delay));
    }
    if (now + delay > deadline)
        return deadLetter(QCoreApplication::translate("RetryPolicy", "%1; the %2 s deadline would pass before the retry")
                              .arg(d.classification.reason, secondsText(m_config.deadline)));

    // Only errors pay: a 429 already slows the lane through its limiters.
    if (budget && d.classification.outcome == Outcome::Retryable) {
        d.budgetSpent = budget->tryAcquireRetry(now, o.timedOut);
        if (d.budgetSpent == 0)
            return deadLetter(QCoreApplication::translate("RetryPolicy", "%1; the lane's retry budget is spent").arg(d.classification.reason));
    }
    d.kind = Decision::Kind::RetryAt;
    d.delay = delay;
    d.at = now + delay;
    return d;
}

} // namespace headroom::rate
