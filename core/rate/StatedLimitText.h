#pragma once

#include "core/clock/Clock.h"

#include <QByteArray>

#include <optional>

namespace headroom::rate {

// A limit a 429's body states in words, as the Customer.io App API writes it:
// `rate limited to 10 requests per 1s`, found anywhere in the body (plain text
// or inside a JSON string). The window may be "1s", "10 s", "500ms", "1m",
// "second", "minute", "hour" or "day". Only the first `maxBytes` of the body
// are looked at, and numbers longer than nine digits are not believed.
struct StatedLimit
{
    qint64 limit = 0;
    Duration window{};
};

class StatedLimitText
{
public:
    static constexpr qsizetype kMaxBytes = 4096;

    static std::optional<StatedLimit> find(const QByteArray &body);
};

} // namespace headroom::rate
