#pragma once

#include "core/clock/Clock.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace headroom::sandbox {

// How a scope counts (config key "window"):
//   sliding      exact sliding log of accepted requests
//   rolling      sliding log that records rejected attempts too (rolling-rate-limiter)
//   fixed        fixed window opened by its first request (rate-limiter-flexible)
//   fixed-clock  fixed window aligned to the wall clock (Kong rate-limiting)
//   gcra         token bucket as GCRA, burst = limit (redis-cell)
enum class WindowKind { Sliding,
                        Fixed,
                        Rolling,
                        FixedClock,
                        Gcra };
// What a 429 says in Retry-After ("constant" is a fixed retryAfterSeconds,
// whatever the window needs).
enum class RetryAfterFormat { None,
                              Seconds,
                              HttpDate,
                              Constant };
enum class XRateLimitMode { Off,
                            On429,
                            Always };
// X-RateLimit-Reset: an IMF-fixdate rounded up to the second, one truncated to
// the second (JavaScript's Date.toUTCString), delta seconds, epoch seconds.
enum class ResetFormat { HttpDate,
                         DeltaSeconds,
                         EpochSeconds,
                         HttpDateTruncated };

// A stretch of a run during which a scope's limit differs from the configured
// one; times are relative to the scope's first request, so no clock is needed.
struct LimitStep
{
    Duration from{};
    Duration to{};
    int limit = 0;

    bool operator==(const LimitStep &other) const = default;
};

// How one emulated API limits and what it tells the client about it: the
// limit, its window, and the header dialect of its answers. Defaults per API
// mirror what the real service does (see ApiPolicy::defaultsFor).
struct ApiPolicy
{
    int limit = 100;
    Duration window = std::chrono::seconds(1);
    WindowKind kind = WindowKind::Sliding;
    RetryAfterFormat retryAfter = RetryAfterFormat::Seconds;
    XRateLimitMode xRateLimit = XRateLimitMode::Off;
    ResetFormat resetFormat = ResetFormat::HttpDate;
    bool ietfHeaders = false; // RateLimit / RateLimit-Policy (httpapi draft)
    bool hidden = false;      // no rate signal at all: headers and 429 details off
    bool requireAuth = true;
    int retryAfterSeconds = 1;       // RetryAfterFormat::Constant
    bool xRateLimitLimit = true;     // send X-RateLimit-Limit with the X-RateLimit-* set
    bool xRateLimitConsumed = true;  // send X-RateLimit-Consumed with the X-RateLimit-* set
    int advertisedLimit = 0;         // what headers and bodies claim; 0 = the enforced limit
    QList<LimitStep> limitSchedule;  // the enforced limit changes mid-run
    double neighbourPerSecond = 0.0; // another integration spending from each scope's budget
    // The "minute" of the Segment Public API's per-endpoint limits; tests
    // shorten it so a 2-per-minute endpoint takes seconds, not minutes.
    int endpointMinuteMs = 60000;
    // The Customer.io App API's limit for every endpoint but transactional
    // sends and broadcast triggers (10 per 1 s, documented); tests shorten or
    // lower it like any window.
    int generalLimit = 10;
    int generalWindowMs = 1000;

    static ApiPolicy defaultsFor(const QString &api);

    QJsonObject toJson() const;
    // Applies the keys present in `json`; false with a message on a bad value.
    bool merge(const QJsonObject &json, QString *error);

    qint64 windowMs() const;
    // The config name of a window kind ("sliding", "rolling", ...).
    static QString windowKindName(WindowKind kind);
    // True when `other` limits the same way, so a scope's window can be kept.
    bool sameLimitAs(const ApiPolicy &other) const;
    // The limit the headers report.
    int reportedLimit(int enforced) const { return advertisedLimit > 0 ? advertisedLimit : enforced; }
};

} // namespace headroom::sandbox
