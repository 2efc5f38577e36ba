#include "core/rate/StructuredField.h"

namespace headroom::rate {

namespace {

class Reader
{
public:
    explicit Reader(QByteArrayView text)
        : m_text(text)
    {
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    void advance() { ++m_pos; }
    void skipSpaces()
    {
        while (!atEnd() && peek() == ' ')
            ++m_pos;
    }
    void skipOws()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }

    bool fail(const QString &why)
    {
        if (m_error.isEmpty())
            m_error = why;
        return false;
    }
    QString error() const { return m_error; }

    static bool isLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
    static bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool parseKey(QByteArray &key)
    {
        const char c = peek();
        if (!isLcAlpha(c) && c != '*')
            return fail(QStringLiteral("expected a key"));
        key.clear();
        while (!atEnd()) {
            const char k = peek();
            if (isLcAlpha(k) || isDigit(k) || k == '_' || k == '-' || k == '.' || k == '*') {
                key.append(k);
                ++m_pos;
            } else {
                break;
            }
        }
        return true;
    }

    bool parseNumber(StructuredField::Item &item)
    {
        bool negative = false;
        if (peek() == '-') {
            negative = true;
            ++m_pos;
        }
        if (!isDigit(peek()))
            return fail(QStringLiteral("expected a digit"));
        QByteArray digits;
        bool decimal = false;
        while (!atEnd()) {
            const char c = peek();
            if (isDigit(c)) {
                digits.append(c);
            } else if (c == '.' && !decimal) {
                if (digits.size() > 12)
                    return fail(QStringLiteral("decimal too long"));
                decimal = true;
                digits.append(c);
            } else {
                break;
            }
            ++m_pos;
            if (!decimal && digits.size() > 15)
                return fail(QStringLiteral("integer has more than 15 digits"));
            if (decimal && digits.size() > 16)
                return fail(QStringLiteral("decimal too long"));
        }
        if (decimal) {
            if (digits.endsWith('.') || digits.size() - digits.indexOf('.') - 1 > 3)
                return fail(QStringLiteral("malformed decimal"));
            item.kind = StructuredField::Item::Kind::Decimal;
            item.decimal = digits.toDouble() * (negative ? -1.0 : 1.0);
        } else {
            item.kind = StructuredField::Item::Kind::Integer;
            item.integer = digits.toLongLong() * (negative ? -1 : 1);
        }
        return true;
    }

    bool parseString(StructuredField::Item &item)
    {
        ++m_pos; // opening quote
        item.kind = StructuredField::Item::Kind::String;
        item.text.clear();
        while (!atEnd()) {
            const char c = peek();
            ++m_pos;
            if (c == '\\') {
                if (atEnd())
                    return fail(QStringLiteral("unterminated escape"));
                const char e = peek();
                ++m_pos;
                if (e != '"' && e != '\\')
                    return fail(QStringLiteral("invalid escape"));
                item.text.append(e);
            } else if (c == '"') {
                return true;
            } else if (c < 0x20 || c > 0x7e) {
                return fail(QStringLiteral("invalid character in string"));
            } else {
                item.text.append(c);
            }
        }
        return fail(QStringLiteral("unterminated string"));
    }

    bool parseToken(StructuredField::Item &item)
    {
        item.kind = StructuredField::Item::Kind::Token;
        item.text.clear();
        item.text.append(peek());
        ++m_pos;
        static const QByteArray extra("!#$%&'*+-.^_`|~:/");
        while (!atEnd()) {
            const char c = peek();
            if (isAlpha(c) || isDigit(c) || extra.contains(c)) {
                item.text.append(c);
                ++m_pos;
            } else {
                break;
            }
        }
        return true;
    }

    bool parseBareItem(StructuredField::Item &item)
    {
        const char c = peek();
        if (c == '-' || isDigit(c))
            return parseNumber(item);
        if (c == '"')
            return parseString(item);
        if (isAlpha(c) || c == '*')
            return parseToken(item);
        if (c == '?') {
            ++m_pos;
            const char b = peek();
            if (b != '0' && b != '1')
                return fail(QStringLiteral("invalid boolean"));
            ++m_pos;
            item.kind = StructuredField::Item::Kind::Boolean;
            item.boolean = b == '1';
            return true;
        }
        if (c == ':') {
            ++m_pos;
            item.kind = StructuredField::Item::Kind::ByteSequence;
            item.text.clear();
            while (!atEnd() && peek() != ':') {
                item.text.append(peek());
                ++m_pos;
            }
            if (atEnd())
                return fail(QStringLiteral("unterminated byte sequence"));
            ++m_pos;
            return true;
        }
        if (c == '(')
            return fail(QStringLiteral("inner lists are not supported"));
        return fail(QStringLiteral("unexpected character"));
    }

    bool parseParams(StructuredField::Member &member)
    {
        while (peek() == ';') {
            ++m_pos;
            skipSpaces();
            QByteArray key;
            if (!parseKey(key))
                return false;
            StructuredField::Item value;
            value.kind = StructuredField::Item::Kind::Boolean;
            value.boolean = true;
            if (peek() == '=') {
                ++m_pos;
                if (!parseBareItem(value))
                    return false;
            }
            bool replaced = false;
            for (auto &p : member.params) {
                if (p.first == key) {
                    p.second = value;
                    replaced = true;
                }
            }
            if (!replaced)
                member.params.append({key, value});
        }
        return true;
    }

    // After a member: end, or a comma followed by another member.
    bool nextMember(bool &more)
    {
        skipOws();
        if (atEnd()) {
            more = false;
            return true;
        }
        if (peek() != ',')
            return fail(QStringLiteral("expected ','"));
        ++m_pos;
        skipOws();
        if (atEnd())
            return fail(QStringLiteral("trailing ','"));
        more = true;
        return true;
    }

private:
    QByteArrayView m_text;
    qsizetype m_pos = 0;
    QString m_error;
};

} // namespace

const StructuredField::Item *StructuredField::Member::param(QByteArrayView name) const
{
    for (const auto &p : params) {
        if (p.first == name)
            return &p.second;
    }
    return nullptr;
}

std::optional<QList<StructuredField::Member>> StructuredField::parseList(QByteArrayView text, QString *error)
{
    Reader r(text);
    QList<Member> members;
    r.skipSpaces();
    bool more = !r.atEnd();
    while (more) {
        Member m;
        if (!r.parseBareItem(m.value) || !r.parseParams(m) || !r.nextMember(more)) {
            if (error)
                *error = r.error();
            return std::nullopt;
        }
        members.append(m);
        if (members.size() > 64) {
            if (error)
                *error = QStringLiteral("too many members");
            return std::nullopt;
        }
    }
    return members;
}

std::optional<QList<StructuredField::Member>> StructuredField::parseDictionary(QByteArrayView text, QString *error)
{
    Reader r(text);
    QList<Member> members;
    r.skipSpaces();
    bool more = !r.atEnd();
    while (more) {
        Member m;
        bool ok = r.parseKey(m.key);
        if (ok) {
            if (r.peek() == '=') {
                r.advance();
                ok = r.parseBareItem(m.value);
            } else {
                m.value.kind = Item::Kind::Boolean;
                m.value.boolean = true;
            }
        }
        ok = ok && r.parseParams(m) && r.nextMember(more);
        if (!ok) {
            if (error)
                *error = r.error();
            return std::nullopt;
        }
        bool replaced = false;
        for (Member &existing : members) {
            if (existing.key == m.key) {
                existing = m;
                replaced = true;
            }
        }
        if (!replaced)
            members.append(m);
        if (members.size() > 64) {
            if (error)
                *error = QStringLiteral("too many members");
            return std::nullopt;
        }
    }
    return members;
}

} // namespace headroom::rate
