#pragma once

#include <QByteArray>
#include <QList>

struct redisReply;

namespace headroom::budget {

// One Redis reply as plain data, so nothing outside RedisConnection sees
// hiredis. `Failed` is our own: the command never got an answer (connection
// lost, timed out).
struct RedisValue
{
    enum class Type { Nil,
                      Integer,
                      String,
                      Status,
                      Error,
                      Array,
                      Failed };
    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray text;            // String, Status, Error; the reason for Failed
    QList<RedisValue> elements; // Array

    bool isError() const { return type == Type::Error || type == Type::Failed; }
    static RedisValue fromReply(const redisReply *reply);
    static RedisValue failed(const QByteArray &reason);
};

} // namespace headroom::budget
