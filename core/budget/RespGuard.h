#pragma once

#include <QByteArray>

#include <vector>

namespace headroom::budget {

// Reads the raw bytes from Redis before hiredis does and refuses a reply
// larger than the budget's own: hiredis 0.14 has no limit on an aggregate's
// element count (its read.h has only `maxbuf`, a compaction threshold), so
// `*2000000000` made it allocate two billion slots and walk them on free,
// freezing the engine thread for seconds. The GCRA script's replies are a
// handful of integers, SCRIPT LOAD's a 40-byte SHA, so small bounds cost
// nothing. Incremental: bytes may arrive split anywhere.
class RespGuard
{
public:
    struct Limits
    {
        qint64 maxElements = 1024;         // of one aggregate (`*N`)
        qint64 maxBulkBytes = 64 * 1024;   // of one bulk string (`$N`)
        qint64 maxLineBytes = 4 * 1024;    // of a header, status, error or integer line
        qint64 maxReplyBytes = 256 * 1024; // of one whole reply, however nested
        int maxDepth = 7;                  // hiredis's own limit on nesting
    };

    RespGuard() = default;
    explicit RespGuard(Limits limits)
        : m_limits(limits)
    {
    }

    // Scans `bytes` as the continuation of the stream; false (and the reason
    // in `error`) when they break a bound or are not RESP at all. After a
    // refusal the stream is not trusted again: reset() with a new connection.
    bool accept(const QByteArray &bytes, QByteArray *error);
    void reset();
    const Limits &limits() const { return m_limits; }

private:
    bool onLine(QByteArray *error);
    void valueDone();

    Limits m_limits;
    QByteArray m_line;                // a header line not yet ended by CRLF
    qint64 m_bulkLeft = 0;            // payload bytes (with CRLF) of the bulk string being skipped
    qint64 m_replyBytes = 0;          // bytes of the reply in progress
    std::vector<qint64> m_aggregates; // elements still due in each open aggregate
    bool m_broken = false;
};

} // namespace headroom::budget
