#pragma once

#include "core/rate/RateSignals.h"

#include <QByteArray>
#include <QList>
#include <QPair>

namespace headroom::rate {

// Turns one HTTP response (status, raw header pairs as QNetworkReply gives them,
// body) into RateSignals. Knows every dialect Headroom meets: Retry-After,
// X-RateLimit-*, the IETF RateLimit / RateLimit-Policy fields and their older
// RateLimit-* names, and Segment's 429 body. Never throws; a value it cannot
// trust is left out and explained in RateSignals::ignored.
class RateSignalParser
{
public:
    struct Config
    {
        // A Retry-After / msBeforeNext longer than this is treated as nonsense.
        // The retry policy caps real pauses much lower (300 s by default).
        Duration maxRetryAfter = std::chrono::hours(1);
        // A reset further away than this is nonsense (daily quotas still fit).
        Duration maxResetIn = std::chrono::hours(25);
        // Bodies larger than this are not searched for Segment's JSON.
        qsizetype maxBodyBytes = 64 * 1024;
    };

    using HeaderList = QList<QPair<QByteArray, QByteArray>>;

    static RateSignals parse(int status, const HeaderList &headers, const QByteArray &body, const Clock &clock);
    static RateSignals parse(int status, const HeaderList &headers, const QByteArray &body, const Clock &clock,
                             const Config &config);
};

} // namespace headroom::rate
