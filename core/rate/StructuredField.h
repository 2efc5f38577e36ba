#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace headroom::rate {

// A small reader of RFC 8941 structured fields — just enough for the IETF
// RateLimit / RateLimit-Policy headers: a List or a Dictionary of bare items
// with parameters (inner lists are refused). Strict: any syntax error fails the
// whole field, with a reason, as RFC 8941 §4.2 asks.
class StructuredField
{
public:
    struct Item
    {
        enum class Kind { Integer,
                          Decimal,
                          String,
                          Token,
                          Boolean,
                          ByteSequence };
        Kind kind = Kind::Integer;
        qint64 integer = 0;
        double decimal = 0.0;
        QByteArray text; // string, token or base64 bytes
        bool boolean = false;

        bool isNumber() const { return kind == Kind::Integer || kind == Kind::Decimal; }
        double number() const { return kind == Kind::Integer ? double(integer) : decimal; }
    };

    struct Member
    {
        QByteArray key; // dictionary key; empty in a list
        Item value;
        QList<QPair<QByteArray, Item>> params;

        const Item *param(QByteArrayView name) const;
    };

    // Returns std::nullopt and sets *error on a syntax error.
    static std::optional<QList<Member>> parseList(QByteArrayView text, QString *error);
    static std::optional<QList<Member>> parseDictionary(QByteArrayView text, QString *error);
};

} // namespace headroom::rate
