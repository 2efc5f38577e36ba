#pragma once

#include "core/imports/RecordReader.h"

#include <optional>

namespace headroom::imports {

// A top-level JSON array of objects, streamed: the array is never parsed as a
// whole; each element's extent is found by a bracket/string scanner and only
// that element is parsed. A bad element is a bad row; a broken array itself
// (no '[', a missing ',' between elements, no closing ']') ends the read.
class JsonArrayReader : public RecordReader
{
public:
    explicit JsonArrayReader(const ReaderLimits &limits);
    Result next(Record &record, RowProblem &problem) override;

private:
    // Skips whitespace (counting lines); false at end of input.
    bool skipSpace();
    // Finds the end of the element at the window's start; -1 when more input is needed.
    qsizetype scanElement(bool *truncated);

    // The steps of next(), one per state: each returns the answer for next()
    // or nothing when the state moved on without one.
    std::optional<Result> openArray();
    std::optional<Result> afterElement();
    std::optional<Result> beforeElement(Record &record, RowProblem &problem);
    std::optional<Result> afterArray();
    // Scans (refilling) to the end of the element at the window's start; a
    // result only when the array ends inside it.
    std::optional<Result> findElementEnd(Record &record, qsizetype *end);
    // Checks one complete element and parses it into `record`.
    Result parseElement(QByteArrayView element, Record &record, RowProblem &problem);

    enum class State { BeforeArray,
                       BeforeElement,
                       AfterElement,
                       Done };
    State m_state = State::BeforeArray;
    // Scanner state, kept across window refills.
    qsizetype m_scan = 0;
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    bool m_discarding = false; // element over the cap: bytes dropped as scanned
    qint64 m_elementLine = 0;
    int m_elementColumn = 0;
    qint64 m_lineStart = 0; // stream offset where the current line starts
    int column() const { return int(m_stream.consumedBytes() - m_lineStart) + 1; }
    void countLines(QByteArrayView consumed);
};

} // namespace headroom::imports
