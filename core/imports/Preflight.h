#pragma once

#include "core/imports/CallSource.h"
#include "core/imports/PreflightReport.h"

namespace headroom::imports {

struct PreflightOptions
{
    CallSourceOptions source; // batching is decided by the profile, not by this
    double rate = 100;        // requests per window, as the run will be configured
    double windowSeconds = 1;
    int maxListed = 100; // problems and duplicates listed (all are counted)
};

// Reads a whole file through the same path a run takes (reader, mapping,
// payload rules, batching) without sending anything, and reports what would
// happen: rows, bad rows, duplicate ids, requests with and without batching
// and how long they take at the configured rate.
class Preflight
{
public:
    static PreflightReport run(const PreflightOptions &options);
};

} // namespace headroom::imports
