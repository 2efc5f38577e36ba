#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace headroom::text {

// Control characters as JSON escapes (\n, \r, \t, \u001b ...), so text from a
// peer (a Redis error, a server's message) can neither break a line of the
// run log nor drive the terminal it is printed on.
class EscapedText
{
public:
    // `utf8` as a JSON string, quotes included, appended to `out` (the run log).
    static void appendJsonString(QByteArray &out, QByteArrayView utf8);
    // `text` with its control characters (and backslashes) escaped, for a
    // line on stderr or in a notice; quotes stay as they are.
    static QString controlsEscaped(const QString &text);

private:
    static void appendEscaped(QByteArray &out, QByteArrayView utf8, bool escapeQuotes);
};

} // namespace headroom::text
