#include "core/budget/RedisValue.h"

#include <hiredis/hiredis.h>

namespace headroom::budget {

RedisValue RedisValue::fromReply(const redisReply *reply)
{
    RedisValue v;
    if (!reply)
        return failed("no reply");
    switch (reply->type) {
    case REDIS_REPLY_INTEGER:
        v.type = Type::Integer;
        v.integer = reply->integer;
        break;
    case REDIS_REPLY_STRING:
        v.type = Type::String;
        v.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_STATUS:
        v.type = Type::Status;
        v.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ERROR:
        v.type = Type::Error;
        v.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ARRAY:
        v.type = Type::Array;
        v.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            v.elements << fromReply(reply->element[i]);
        break;
    default:
        v.type = Type::Nil;
        break;
    }
    return v;
}

RedisValue RedisValue::failed(const QByteArray &reason)
{
    RedisValue v;
    v.type = Type::Failed;
    v.text = reason;
    return v;
}

} // namespace headroom::budget
