#pragma once

#include "clock/Clock.h"

#include <QJsonObject>
#include <QString>

namespace headroom::sandbox {

enum class WindowKind { Sliding, Fixed };
enum class RetryAfterFormat { None, Seconds, HttpDate };
enum class XRateLimitMode { Off, On429, Always };
enum class ResetFormat { HttpDate, DeltaSeconds, EpochSeconds };

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

    static ApiPolicy defaultsFor(const QString &api);

    QJsonObject toJson() const;
    // Applies the keys present in `json`; false with a message on a bad value.
    bool merge(const QJsonObject &json, QString *error);

    qint64 windowMs() const;
};

} // namespace headroom::sandbox
