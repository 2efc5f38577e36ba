#pragma once

#include "core/clock/Clock.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace headroom::rate {

// How an X-RateLimit-Reset / RateLimit-Reset value was written. Kept so the run
// log can show what the server said and so the pacer knows the value's precision.
enum class ResetForm {
    None,
    HttpDate,          // RFC 5322 / RFC 9110 date (Segment Public API)
    EpochSeconds,      // Unix time (GitHub)
    EpochMilliseconds, // Unix time in ms (some gateways)
    DeltaSeconds,      // seconds from now (Segment Tracking API, IETF drafts)
};

QString resetFormName(ResetForm form);

// One IETF RateLimit / RateLimit-Policy entry (draft-ietf-httpapi-ratelimit-headers).
struct RateLimitPolicy
{
    QString name;                    // "default"; empty for the older bare-integer form
    std::optional<qint64> quota;     // q (RateLimit-Policy)
    std::optional<Duration> window;  // w (RateLimit-Policy)
    std::optional<qint64> remaining; // r (RateLimit)
    std::optional<Duration> resetIn; // t (RateLimit), from the response
    QString quotaUnit;               // qu, e.g. "requests", "content-bytes"
    QString partitionKey;            // pk, as sent
};

// What one HTTP response says about the server's limits, in one dialect-free
// shape. Every time is already on the steady timeline (Clock::steadyFromWall),
// so consumers never deal with wall clocks. Values that were present but
// unusable are not set; the reason is in `ignored` for the run log.
struct RateSignals
{
    int status = 0;

    // Retry-After (delay-seconds or HTTP-date).
    std::optional<Duration> retryAfter;
    std::optional<TimePoint> retryAfterAt;

    // X-RateLimit-* / RateLimit-* / IETF RateLimit (the binding policy).
    std::optional<qint64> limit;
    std::optional<qint64> remaining;
    std::optional<qint64> consumed; // X-RateLimit-Consumed / -Used
    std::optional<TimePoint> resetAt;
    ResetForm resetForm = ResetForm::None;
    Duration resetResolution{};     // the true reset lies within resetAt ± this
    std::optional<Duration> window; // IETF w, when known

    // Segment's 429 body: {"errors":[{"data":{"remainingPoints","msBeforeNext","consumedPoints"}}]}
    std::optional<Duration> msBeforeNext;
    std::optional<TimePoint> nextWindowAt;
    std::optional<qint64> remainingPoints;
    std::optional<qint64> consumedPoints;

    // A limit a 429's body states in words ("rate limited to 10 requests per
    // 1s", the Customer.io App API): what the refusing scope allows.
    std::optional<qint64> statedLimit;
    std::optional<Duration> statedWindow;

    QList<RateLimitPolicy> policies; // every IETF policy seen, in header order

    QStringList ignored; // "X-RateLimit-Reset: 'abc' is not a number or date", ...

    // Limit as stated, or implied by consumed + remaining (Segment sends no Limit).
    std::optional<qint64> impliedLimit() const;

    // The instant the server asked us not to send before, from the most precise
    // signal: msBeforeNext, then Retry-After, then an exhausted window's reset.
    std::optional<TimePoint> serverWaitUntil() const;

    bool hasRateInfo() const
    {
        return retryAfter || limit || remaining || consumed || resetAt || msBeforeNext || !policies.isEmpty();
    }
};

} // namespace headroom::rate
