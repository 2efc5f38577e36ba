#pragma once

#include "core/clock/Clock.h"

namespace headroom::sandbox {

// What a RateWindow said about one request: admitted or not, and the numbers
// the answer's rate headers report.
struct RateDecision
{
    bool allowed = true;
    int limit = 0;
    int remaining = 0;  // requests still allowed in the current window after this one
    int consumed = 0;   // requests counted in the current window (fixed: rejected ones too)
    Duration resetIn{}; // until the window resets (sliding: until the oldest counted one expires)
    Duration retryIn{}; // until one more request would be admitted; zero when allowed
    Duration window{};
    TimePoint fixedWindowStart{}; // start of the fixed window that counted it (fixed kind only)
};

} // namespace headroom::sandbox
