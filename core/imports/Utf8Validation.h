#pragma once

#include <QByteArrayView>

namespace headroom::imports {

// UTF-8 checks on raw bytes: readers validate every record without decoding it
// into a QString, and turn byte offsets into the character columns people see.
class Utf8Validation
{
public:
    // Offset of the first byte that is not valid UTF-8 (overlongs, surrogates and
    // code points above U+10FFFF are invalid), or -1 if all of it is valid.
    static qsizetype firstInvalid(QByteArrayView bytes);

    // 1-based character column of byte `offset` on the line starting at `lineStart`.
    static int column(QByteArrayView text, qsizetype lineStart, qsizetype offset);
};

} // namespace headroom::imports
