#include "core/budget/RespGuard.h"

namespace headroom::budget {

bool RespGuard::accept(const QByteArray &bytes, QByteArray *error)
{
    auto fail = [this, error](const QByteArray &why) {
        m_broken = true;
        if (error)
            *error = why;
        return false;
    };
    if (m_broken)
        return fail("the reply stream was refused before");
    qsizetype i = 0;
    while (i < bytes.size()) {
        if (m_bulkLeft > 0) {
            const qint64 take = std::min<qint64>(m_bulkLeft, bytes.size() - i);
            m_bulkLeft -= take;
            m_replyBytes += take;
            i += take;
            if (m_bulkLeft == 0)
                valueDone();
            continue;
        }
        const qsizetype end = bytes.indexOf('\n', i);
        const qsizetype stop = end < 0 ? bytes.size() : end + 1;
        m_line.append(bytes.constData() + i, stop - i);
        m_replyBytes += stop - i;
        i = stop;
        if (m_line.size() > m_limits.maxLineBytes)
            return fail("a reply line longer than " + QByteArray::number(m_limits.maxLineBytes) + " bytes");
        if (m_replyBytes > m_limits.maxReplyBytes)
            return fail("a reply larger than " + QByteArray::number(m_limits.maxReplyBytes) + " bytes");
        if (end < 0)
            return true;
        if (!onLine(error)) {
            m_broken = true;
            return false;
        }
        m_line.clear();
    }
    if (m_replyBytes > m_limits.maxReplyBytes)
        return fail("a reply larger than " + QByteArray::number(m_limits.maxReplyBytes) + " bytes");
    return true;
}

bool RespGuard::onLine(QByteArray *error)
{
    auto fail = [error](const QByteArray &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_line.size() < 3 || !m_line.endsWith("\r\n"))
        return fail("not a Redis reply");
    const char type = m_line.at(0);
    if (type == '+' || type == '-' || type == ':') {
        valueDone();
        return true;
    }
    if (type != '*' && type != '$')
        return fail("not a Redis reply");
    bool ok = false;
    const qint64 n = m_line.mid(1, m_line.size() - 3).toLongLong(&ok);
    if (!ok || n < -1)
        return fail("a malformed reply length");
    if (type == '$') {
        if (n > m_limits.maxBulkBytes)
            return fail("a string of " + QByteArray::number(n) + " bytes (at most "
                        + QByteArray::number(m_limits.maxBulkBytes) + " expected)");
        if (n < 0)
            valueDone();
        else
            m_bulkLeft = n + 2;
        return true;
    }
    if (n > m_limits.maxElements)
        return fail("an array of " + QByteArray::number(n) + " elements (at most "
                    + QByteArray::number(m_limits.maxElements) + " expected)");
    if (n <= 0) {
        valueDone();
        return true;
    }
    if (int(m_aggregates.size()) >= m_limits.maxDepth)
        return fail("a reply nested deeper than " + QByteArray::number(m_limits.maxDepth));
    m_aggregates.push_back(n);
    return true;
}

void RespGuard::valueDone()
{
    // One value ends: it may end the aggregates around it, and so the reply.
    while (!m_aggregates.empty()) {
        if (--m_aggregates.back() > 0)
            return;
        m_aggregates.pop_back();
    }
    m_replyBytes = 0;
}

void RespGuard::reset()
{
    m_line.clear();
    m_bulkLeft = 0;
    m_replyBytes = 0;
    m_aggregates.clear();
    m_broken = false;
}

} // namespace headroom::budget
