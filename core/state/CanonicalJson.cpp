#include "core/state/CanonicalJson.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace headroom::state {

namespace {
// Deeper than any mapped payload; a bound keeps hostile input off the stack.
constexpr int kMaxDepth = 64;
} // namespace

QByteArray CanonicalJson::of(QByteArrayView json)
{
    CanonicalJson scanner(json);
    QByteArray out;
    out.reserve(json.size());
    scanner.skipSpace();
    if (!scanner.value(out, 0))
        return json.toByteArray();
    scanner.skipSpace();
    if (scanner.m_pos != json.size())
        return json.toByteArray();
    return out;
}

void CanonicalJson::skipSpace()
{
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        ++m_pos;
    }
}

bool CanonicalJson::value(QByteArray &out, int depth)
{
    if (m_pos >= m_text.size() || depth > kMaxDepth)
        return false;
    switch (m_text[m_pos]) {
    case '{':
        return object(out, depth + 1);
    case '[':
        return array(out, depth + 1);
    case '"':
        return string(out);
    default:
        return scalar(out);
    }
}

bool CanonicalJson::string(QByteArray &out)
{
    const qsizetype start = m_pos++;
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos++];
        if (c == '\\')
            ++m_pos;
        else if (c == '"') {
            out.append(m_text.sliced(start, m_pos - start));
            return true;
        }
    }
    return false;
}

bool CanonicalJson::scalar(QByteArray &out)
{
    const qsizetype start = m_pos;
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r')
            break;
        ++m_pos;
    }
    if (m_pos == start)
        return false;
    out.append(m_text.sliced(start, m_pos - start));
    return true;
}

bool CanonicalJson::array(QByteArray &out, int depth)
{
    ++m_pos;
    out.append('[');
    skipSpace();
    if (m_pos < m_text.size() && m_text[m_pos] == ']') {
        ++m_pos;
        out.append(']');
        return true;
    }
    for (;;) {
        skipSpace();
        if (!value(out, depth))
            return false;
        skipSpace();
        if (m_pos >= m_text.size())
            return false;
        const char c = m_text[m_pos++];
        if (c == ']') {
            out.append(']');
            return true;
        }
        if (c != ',')
            return false;
        out.append(',');
    }
}

bool CanonicalJson::object(QByteArray &out, int depth)
{
    ++m_pos;
    std::vector<std::pair<QByteArray, QByteArray>> members;
    skipSpace();
    if (m_pos < m_text.size() && m_text[m_pos] == '}') {
        ++m_pos;
        out.append("{}");
        return true;
    }
    for (;;) {
        skipSpace();
        QByteArray key;
        QByteArray val;
        if (m_pos >= m_text.size() || m_text[m_pos] != '"' || !string(key))
            return false;
        skipSpace();
        if (m_pos >= m_text.size() || m_text[m_pos++] != ':')
            return false;
        skipSpace();
        if (!value(val, depth))
            return false;
        members.emplace_back(std::move(key), std::move(val));
        skipSpace();
        if (m_pos >= m_text.size())
            return false;
        const char c = m_text[m_pos++];
        if (c == '}')
            break;
        if (c != ',')
            return false;
    }
    std::sort(members.begin(), members.end());
    out.append('{');
    for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0)
            out.append(',');
        out.append(members[i].first).append(':').append(members[i].second);
    }
    out.append('}');
    return true;
}

} // namespace headroom::state
