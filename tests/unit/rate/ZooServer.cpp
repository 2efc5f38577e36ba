#include "tests/unit/rate/ZooServer.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::TimePoint;
using headroom::WallTime;

namespace {
WallTime wallAt(TimePoint t, TimePoint now, WallTime wallNow)
{
    return wallNow + std::chrono::duration_cast<WallTime::duration>(t - now);
}
qint64 wholeSeconds(WallTime t, bool roundUp)
{
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    const qint64 s = ns / 1000000000;
    return roundUp && ns % 1000000000 != 0 ? s + 1 : s;
}
QByteArray httpDate(qint64 epochSeconds)
{
    return QDateTime::fromSecsSinceEpoch(epochSeconds, Qt::UTC).toString(Qt::RFC2822Date).toLatin1();
}
} // namespace

ZooServer::ZooServer(Config config)
    : m_config(std::move(config))
    , m_random(m_config.seed * 7919 + 17)
{
}

int ZooServer::limitAt(TimePoint t) const
{
    int limit = m_config.limit;
    if (!m_started)
        return limit;
    for (const Step &step : m_config.schedule) {
        if (t - m_firstArrival >= step.from)
            limit = step.limit;
    }
    return limit;
}

double ZooServer::capacity(TimePoint from, TimePoint to) const
{
    // Integrate the schedule in small steps; the neighbour's share is what it
    // was granted, spread evenly.
    const Duration step = 10ms;
    double total = 0.0;
    const double perWindow = std::chrono::duration<double>(m_config.length).count();
    for (TimePoint t = from; t < to; t += step)
        total += limitAt(t) / perWindow * std::chrono::duration<double>(std::min(step, to - t)).count();
    return std::max(0.0, total - m_neighbourAccepted);
}

TimePoint ZooServer::windowEnd(TimePoint t, WallTime wall) const
{
    switch (m_config.window) {
    case Window::FixedAnchored:
        return m_fixedEnd;
    case Window::FixedClock: {
        const auto wallNs = std::chrono::duration_cast<Duration>(wall.time_since_epoch());
        const auto next = (wallNs / m_config.length + 1) * m_config.length;
        return t + (next - wallNs);
    }
    case Window::SlidingLog:
    case Window::RollingCountsRejections:
        // When the oldest entry leaves: the earliest a slot frees up.
        return m_log.empty() ? t : m_log.front() + m_config.length;
    }
    return t;
}

bool ZooServer::admit(TimePoint t, WallTime wall)
{
    const int limit = limitAt(t);
    switch (m_config.window) {
    case Window::SlidingLog:
        while (!m_log.empty() && m_log.front() <= t - m_config.length)
            m_log.pop_front();
        if (int(m_log.size()) >= limit)
            return false;
        m_log.push_back(t);
        return true;
    case Window::RollingCountsRejections:
        while (!m_log.empty() && m_log.front() <= t - m_config.length)
            m_log.pop_front();
        m_log.push_back(t); // recorded before the check, blocked or not
        return int(m_log.size()) <= limit;
    case Window::FixedAnchored:
        if (m_consumed == 0 || t >= m_fixedEnd) {
            m_fixedEnd = t + m_config.length;
            m_consumed = 0;
        }
        ++m_consumed; // consumed even when refused
        return m_consumed <= limit;
    case Window::FixedClock: {
        const auto index = std::chrono::duration_cast<Duration>(wall.time_since_epoch()) / m_config.length;
        if (index != m_clockIndex) {
            m_clockIndex = index;
            m_consumed = 0;
        }
        if (m_consumed >= limit)
            return false;
        ++m_consumed;
        return true;
    }
    }
    return false;
}

void ZooServer::runNeighbour(TimePoint until, WallTime wallUntil, TimePoint now)
{
    if (m_config.neighbourPerS <= 0.0)
        return;
    const Duration mean = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(1.0 / m_config.neighbourPerS));
    // A loop paced by a timer (another integration's sync job): +-20 % around its rate.
    std::uniform_int_distribution<Duration::rep> jitter(mean.count() * 4 / 5, mean.count() * 6 / 5);
    if (m_neighbourNext == TimePoint{})
        m_neighbourNext = until;
    while (m_neighbourNext <= until) {
        const TimePoint t = m_neighbourNext;
        if (admit(t, wallAt(t, now, wallUntil)))
            ++m_neighbourAccepted;
        else
            ++m_neighbourRejected;
        m_neighbourNext += Duration(jitter(m_random));
    }
}

void ZooServer::writeHeaders(Reply &reply, TimePoint t, WallTime wall, bool accepted) const
{
    const int limit = limitAt(t);
    const TimePoint end = windowEnd(t, wall);
    const WallTime wallEnd = wallAt(end, t, wall);
    int used = m_consumed;
    if (m_config.window == Window::SlidingLog || m_config.window == Window::RollingCountsRejections)
        used = int(m_log.size());
    const int remaining = std::max(0, limit - used);
    if (m_config.reset != Reset::None) {
        QByteArray value;
        switch (m_config.reset) {
        case Reset::DeltaSeconds:
            value = QByteArray::number(qint64(std::ceil(std::chrono::duration<double>(end - t).count())));
            break;
        case Reset::EpochSeconds:
            value = QByteArray::number(wholeSeconds(wallEnd, true));
            break;
        case Reset::DateTruncated:
            value = httpDate(wholeSeconds(wallEnd, false)); // JavaScript's toUTCString drops the ms
            break;
        case Reset::DateRoundedUp:
            value = httpDate(wholeSeconds(wallEnd, true));
            break;
        case Reset::None:
            break;
        }
        reply.headers.append({"X-RateLimit-Remaining", QByteArray::number(remaining)});
        reply.headers.append({"X-RateLimit-Reset", value});
        if (m_config.consumedHeader)
            reply.headers.append({"X-RateLimit-Consumed", QByteArray::number(used)});
        if (m_config.limitHeader)
            reply.headers.append({"X-RateLimit-Limit", QByteArray::number(limit)});
    }
    if (accepted)
        return;
    const Duration wait = std::max(Duration(1ms), end - t);
    switch (m_config.retryAfter) {
    case RetryAfter::None:
        break;
    case RetryAfter::Seconds: // rounded up, as rate-limiter-flexible's examples write it
        reply.headers.append({"Retry-After", QByteArray::number(qint64(std::ceil(std::chrono::duration<double>(wait).count())))});
        break;
    case RetryAfter::HttpDate:
        reply.headers.append({"Retry-After", httpDate(wholeSeconds(wallAt(t + wait, t, wall), true))});
        break;
    case RetryAfter::OneSecond: // shorter than the truth for long windows
        reply.headers.append({QByteArray("Retry-After"), QByteArray("1")});
        break;
    }
    if (m_config.msBeforeNextBody) {
        const qint64 ms = (std::chrono::duration_cast<std::chrono::microseconds>(wait).count() + 999) / 1000;
        reply.body = R"({"errors":[{"error":"Too many requests","data":{"remainingPoints":0,"msBeforeNext":)"
                     + QByteArray::number(ms) + R"(,"consumedPoints":)" + QByteArray::number(used) + "}}]}";
    }
}

ZooServer::Reply ZooServer::arrive(TimePoint arrival, WallTime wallArrival)
{
    if (!m_started) {
        m_started = true;
        m_firstArrival = arrival;
    }
    runNeighbour(arrival - Duration(1), wallArrival, arrival);
    Reply reply;
    const bool accepted = admit(arrival, wallArrival);
    reply.status = accepted ? 200 : 429;
    writeHeaders(reply, arrival, wallArrival, accepted);
    if (accepted) {
        ++m_accepted;
        m_acceptedLog.push_back(arrival);
        while (m_acceptedLog.front() <= arrival - m_config.length)
            m_acceptedLog.pop_front();
        m_maxInWindow = std::max(m_maxInWindow, int(m_acceptedLog.size()));
        std::uniform_real_distribution<double> pick(0.0, 1.0);
        reply.lost = m_config.lostAnswers > 0.0 && pick(m_random) < m_config.lostAnswers;
    } else {
        ++m_rejected;
    }
    return reply;
}

QString ZooServer::describe() const
{
    static const char *windows[] = {"sliding", "rolling+rejections", "fixed-anchored", "fixed-clock"};
    static const char *resets[] = {"no-headers", "reset-delta", "reset-epoch", "reset-date-trunc", "reset-date-ceil"};
    static const char *retries[] = {"no-retry-after", "retry-after-s", "retry-after-date", "retry-after-1s"};
    QString text = QStringLiteral("%1 %2/%3ms %4 %5")
                       .arg(QLatin1String(windows[int(m_config.window)]))
                       .arg(m_config.limit)
                       .arg(std::chrono::duration_cast<std::chrono::milliseconds>(m_config.length).count())
                       .arg(QLatin1String(resets[int(m_config.reset)]), QLatin1String(retries[int(m_config.retryAfter)]));
    if (!m_config.schedule.empty())
        text += QStringLiteral(" moving");
    if (m_config.neighbourPerS > 0)
        text += QStringLiteral(" neighbour %1/s").arg(m_config.neighbourPerS);
    if (m_config.lostAnswers > 0)
        text += QStringLiteral(" lost %1").arg(m_config.lostAnswers);
    return text;
}
