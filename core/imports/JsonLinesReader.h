#pragma once

#include "core/imports/RecordReader.h"

namespace headroom::imports {

// JSON Lines, streamed: one JSON object per line; blank lines are skipped.
// A line that is not a valid JSON object, not UTF-8, or longer than the cap is
// a bad row, reported with its line and column; the next line reads on.
class JsonLinesReader : public RecordReader
{
public:
    explicit JsonLinesReader(const ReaderLimits &limits);
    Result next(Record &record, RowProblem &problem) override;

private:
    bool m_started = false;
    bool m_skipping = false; // inside an over-long line, dropping bytes until its end
};

} // namespace headroom::imports
