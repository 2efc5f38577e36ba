#pragma once

#include "core/imports/ApiCall.h"
#include "core/imports/PayloadRules.h"

#include <QString>

namespace headroom::imports {

// Whether one call is within its API's documented sizes: a call at most
// maxCallBytes, and a request file's batch at most maxBatchBytes with every
// call in it at most maxCallBytes. Pure; checked before sending because an
// API may answer 200 to what it then drops.
class PayloadSize
{
public:
    // Why the call may not go, in the run log's words; empty when it may.
    static QString refusal(const ApiCall &call, const PayloadRules &rules, const QString &profile);
};

} // namespace headroom::imports
