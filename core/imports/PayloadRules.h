#pragma once

#include "core/imports/ImportProfile.h"

#include <QString>
#include <QtGlobal>

namespace headroom::imports {

// The payload limits each API documents. Customer.io and Segment may answer 200
// to an oversized payload and then drop it, so these are checked before sending
// (in preflight and in the run) rather than learned from responses.
// Sizes are taken in decimal kilobytes (500 KB = 500,000 bytes), the stricter
// reading of the docs, so a payload that passes can never be over the limit.
struct PayloadRules
{
    int maxAttributes = 0;                // Customer.io: 300 attributes per identify
    qsizetype maxAttributeNameBytes = 0;  // Customer.io: 150
    qsizetype maxAttributeValueBytes = 0; // Customer.io: 1,000
    qsizetype maxEventNameBytes = 0;      // Customer.io: 100
    qsizetype maxEventDataBytes = 0;      // Customer.io: 100,000
    qsizetype maxCallBytes = 0;           // Segment: 32 KB per call, also inside a batch
    qsizetype maxBatchBytes = 0;          // a request file's whole batch: 500 KB
    QString batchPath;                    // the batch endpoint a request file may name

    static PayloadRules forProfile(Profile profile)
    {
        PayloadRules r;
        if (profile == Profile::CustomerIoTrack || profile == Profile::CustomerIoApp) {
            r.maxAttributes = 300;
            r.maxAttributeNameBytes = 150;
            r.maxAttributeValueBytes = 1000;
            r.maxEventNameBytes = 100;
            r.maxEventDataBytes = 100000;
        } else if (ImportProfile::isSegmentCompatible(profile)) {
            // Customer.io Pipelines does not process a larger call or batch
            // and answers 200 all the same, so nothing tells the run.
            r.maxCallBytes = 32000;
            r.maxBatchBytes = 500000;
            r.batchPath = QStringLiteral("/v1/batch");
        }
        return r;
    }
};

} // namespace headroom::imports
