#include "tests/unit/rate/SimulatedServer.h"

#include <QDateTime>

#include <algorithm>

using namespace std::chrono_literals;
using headroom::Duration;
using headroom::TimePoint;
using headroom::WallTime;

SimulatedServer::SimulatedServer(Config config)
    : m_config(config)
{
}

SimulatedServer::Reply SimulatedServer::arrive(TimePoint arrival, WallTime wallArrival)
{
    Reply reply;
    if (m_config.kind == Kind::SlidingWindow) {
        while (!m_acceptedAt.empty() && m_acceptedAt.front() <= arrival - m_config.window)
            m_acceptedAt.pop_front();
        if (int(m_acceptedAt.size()) < m_config.limit) {
            m_acceptedAt.push_back(arrival);
            ++m_accepted;
            m_maxInWindow = std::max(m_maxInWindow, int(m_acceptedAt.size()));
            reply.status = 200;
        } else {
            ++m_rejected;
            reply.status = 429;
        }
        return reply;
    }

    if (m_config.kind == Kind::ClockAlignedWindow) {
        const auto wallNs = std::chrono::duration_cast<Duration>(wallArrival.time_since_epoch());
        const auto index = wallNs / m_config.window;
        if (!m_windowOpen || index != m_windowIndex) {
            m_windowOpen = true;
            m_windowIndex = index;
            m_consumed = 0;
        }
        const auto endSeconds = std::chrono::duration_cast<std::chrono::seconds>((index + 1) * m_config.window).count();
        const bool accept = m_consumed < m_config.limit;
        if (accept)
            ++m_consumed;
        reply.headers = {{"X-RateLimit-Limit", QByteArray::number(m_config.limit)},
                         {"X-RateLimit-Remaining", QByteArray::number(m_config.limit - m_consumed)},
                         {"X-RateLimit-Used", QByteArray::number(m_consumed)},
                         {"X-RateLimit-Reset", QByteArray::number(qint64(endSeconds))}};
        if (accept) {
            ++m_accepted;
            m_maxInWindow = std::max(m_maxInWindow, m_consumed);
            reply.status = 200;
        } else {
            ++m_rejected;
            reply.status = 429;
        }
        return reply;
    }

    if (!m_windowOpen || arrival >= m_windowEnd) {
        m_windowOpen = true;
        m_windowEnd = arrival + m_config.window;
        m_consumed = 0;
    }
    ++m_consumed; // rate-limiter-flexible consumes a point even when it refuses
    const Duration left = m_windowEnd - arrival;
    const auto wallEnd = wallArrival + std::chrono::duration_cast<WallTime::duration>(left);
    qint64 endSeconds = std::chrono::duration_cast<std::chrono::seconds>(wallEnd.time_since_epoch()).count();
    if (m_config.rounding == DateRounding::Ceil && WallTime(std::chrono::seconds(endSeconds)) < wallEnd)
        ++endSeconds;
    const QByteArray resetDate =
        QDateTime::fromSecsSinceEpoch(endSeconds, Qt::UTC).toString(Qt::RFC2822Date).toLatin1();
    const int remaining = std::max(0, m_config.limit - m_consumed);
    reply.headers = {{"X-RateLimit-Consumed", QByteArray::number(m_consumed)},
                     {"X-RateLimit-Remaining", QByteArray::number(remaining)},
                     {"X-RateLimit-Reset", resetDate}};
    if (m_consumed <= m_config.limit) {
        ++m_accepted;
        m_maxInWindow = std::max(m_maxInWindow, m_consumed);
        reply.status = 200;
        return reply;
    }
    ++m_rejected;
    reply.status = 429;
    const qint64 msBeforeNext = (std::chrono::duration_cast<std::chrono::microseconds>(left).count() + 999) / 1000;
    reply.body = QByteArray(R"({"errors":[{"error":"Too many requests","data":{"remainingPoints":0,"msBeforeNext":)")
                 + QByteArray::number(msBeforeNext) + R"(,"consumedPoints":)" + QByteArray::number(m_consumed) + "}}]}";
    return reply;
}
