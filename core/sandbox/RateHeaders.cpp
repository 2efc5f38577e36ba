#include "core/sandbox/RateHeaders.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

namespace headroom::sandbox {

using namespace std::chrono;

namespace {

WallTime ceilToSecond(WallTime t)
{
    const auto floor = time_point_cast<seconds>(t);
    return floor < t ? WallTime(floor + seconds(1)) : WallTime(floor);
}

// What `new Date(ms).toUTCString()` prints: the milliseconds are dropped, so
// the date can be up to a second before the real reset (rate-limiter-flexible
// behind the Segment Public API).
WallTime floorToSecond(WallTime t)
{
    const auto floor = time_point_cast<seconds>(t);
    return floor > t ? WallTime(floor - seconds(1)) : WallTime(floor);
}

} // namespace

qint64 RateHeaders::ceilSeconds(Duration d)
{
    if (d <= Duration::zero())
        return 0;
    return duration_cast<seconds>(d + seconds(1) - Duration(1)).count();
}

QByteArray RateHeaders::httpDate(WallTime at)
{
    const qint64 ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    return QLocale::c().toString(utc, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

void RateHeaders::apply(HttpResponse &response, const ApiPolicy &policy, const RateDecision &decision,
                        WallTime wallNow)
{
    if (policy.hidden)
        return;
    const bool limited = !decision.allowed;
    // Dates are rounded up to the next whole second, never early.
    const qint64 resetSeconds = ceilSeconds(decision.resetIn);
    const WallTime resetWall = ceilToSecond(wallNow + decision.resetIn);
    const int limit = policy.reportedLimit(decision.limit);

    if (limited && policy.retryAfter != RetryAfterFormat::None) {
        const qint64 retrySeconds = std::max<qint64>(1, ceilSeconds(decision.retryIn));
        if (policy.retryAfter == RetryAfterFormat::Constant) {
            // The same value on every 429, however long the window still needs
            // (an API that always says "1" while its window holds for longer).
            response.setHeader("Retry-After", QByteArray::number(policy.retryAfterSeconds));
        } else if (policy.retryAfter == RetryAfterFormat::Seconds) {
            response.setHeader("Retry-After", QByteArray::number(retrySeconds));
        } else {
            const Duration wait = std::max<Duration>(decision.retryIn, seconds(1));
            response.setHeader("Retry-After", httpDate(ceilToSecond(wallNow + wait)));
        }
    }

    if (policy.xRateLimit == XRateLimitMode::Always || (limited && policy.xRateLimit == XRateLimitMode::On429)) {
        if (policy.xRateLimitLimit)
            response.setHeader("X-RateLimit-Limit", QByteArray::number(limit));
        response.setHeader("X-RateLimit-Remaining", QByteArray::number(decision.remaining));
        if (policy.xRateLimitConsumed)
            response.setHeader("X-RateLimit-Consumed", QByteArray::number(decision.consumed));
        QByteArray reset;
        switch (policy.resetFormat) {
        case ResetFormat::HttpDate:
            reset = httpDate(resetWall);
            break;
        case ResetFormat::HttpDateTruncated:
            reset = httpDate(floorToSecond(wallNow + decision.resetIn));
            break;
        case ResetFormat::DeltaSeconds:
            reset = QByteArray::number(resetSeconds);
            break;
        case ResetFormat::EpochSeconds:
            reset = QByteArray::number(duration_cast<seconds>(resetWall.time_since_epoch()).count());
            break;
        }
        response.setHeader("X-RateLimit-Reset", reset);
    }

    if (policy.ietfHeaders) {
        const qint64 windowSeconds = std::max<qint64>(1, ceilSeconds(decision.window));
        response.setHeader("RateLimit-Policy",
                           "\"default\";q=" + QByteArray::number(limit) + ";w=" + QByteArray::number(windowSeconds));
        response.setHeader("RateLimit",
                           "\"default\";r=" + QByteArray::number(decision.remaining) + ";t=" + QByteArray::number(resetSeconds));
    }
}

} // namespace headroom::sandbox
