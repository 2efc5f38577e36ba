#pragma once

#include <QByteArray>

class QIODevice;

namespace headroom::text {

// The next line of `in` (its newline included), at most `limit` bytes of it;
// the rest of a longer line is what the next call returns. QIODevice's
// readLine(limit) allocates `limit` bytes before it reads, however short the
// line: this grows the line by chunks instead, so a cap sized for the longest
// line a file may hold costs nothing on the usual short one, and readLine()
// without a limit lets a file without newlines take all memory.
QByteArray readBoundedLine(QIODevice &in, qint64 limit);

} // namespace headroom::text
