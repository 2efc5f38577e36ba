#pragma once

#include "core/clock/Clock.h"

#include <QByteArrayView>

#include <optional>

namespace headroom::rate {

// Reads the date forms HTTP servers put in Retry-After and X-RateLimit-Reset:
// IMF-fixdate, the obsolete RFC 850 and asctime forms (RFC 9110 §5.6.7), and
// the wider RFC 5322 form (numeric zones, optional weekday and seconds).
// Never throws; anything it cannot read exactly is std::nullopt.
class HttpDate
{
public:
    static std::optional<WallTime> parse(QByteArrayView text);
};

} // namespace headroom::rate
