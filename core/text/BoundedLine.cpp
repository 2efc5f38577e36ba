#include "core/text/BoundedLine.h"

#include <QIODevice>

#include <algorithm>

namespace headroom::text {

QByteArray readBoundedLine(QIODevice &in, qint64 limit)
{
    QByteArray line;
    char chunk[4096];
    while (line.size() < limit) {
        const qint64 read = in.readLine(chunk, std::min<qint64>(sizeof chunk, limit - line.size() + 1));
        if (read <= 0)
            break;
        line.append(chunk, read);
        if (chunk[read - 1] == '\n')
            break;
    }
    return line;
}

} // namespace headroom::text
