#include "core/budget/GcraScript.h"

#include <QCryptographicHash>

namespace headroom::budget {

const QByteArray &GcraScript::source()
{
    // Numbers are Lua doubles: µs since the epoch (~1.8e15) stay exact below 2^53.
    static const QByteArray text = QByteArrayLiteral(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local published = tonumber(ARGV[7])
if published > 0 then
  redis.call('HSET', KEYS[1], 'limit', published, 'period_us', ARGV[8])
end
local h = redis.call('HMGET', KEYS[1], 'tat', 'limit', 'period_us')
local limit = tonumber(h[2]) or tonumber(ARGV[1])
local period = tonumber(h[3]) or tonumber(ARGV[2])
local spacing = (period + tonumber(ARGV[3])) / limit
local tat = tonumber(h[1]) or now
if tat < now then tat = now end
local wanted = tonumber(ARGV[4])
local reply = {now, limit, period, 0, 0}
for i = 1, wanted do
  reply[#reply + 1] = math.floor(tat - now)
  tat = tat + spacing
end
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', tat))
reply[5] = redis.call('HINCRBY', KEYS[1], 'granted', wanted)
redis.call('PEXPIRE', KEYS[1], 86400000)
local ttl = tonumber(ARGV[6])
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[2], math.floor(ttl / 1000) + 1000)
reply[4] = redis.call('ZCARD', KEYS[2])
return reply
)lua");
    return text;
}

QByteArray GcraScript::sha1()
{
    return QCryptographicHash::hash(source(), QCryptographicHash::Sha1).toHex();
}

std::optional<Reservation> GcraScript::parse(const RedisValue &reply, QByteArray *error)
{
    auto fail = [error](const QByteArray &message) -> std::optional<Reservation> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (reply.isError())
        return fail(reply.text);
    if (reply.type != RedisValue::Type::Array || reply.elements.size() < 5)
        return fail("unexpected answer from the budget script");
    for (const RedisValue &e : reply.elements) {
        if (e.type != RedisValue::Type::Integer)
            return fail("unexpected answer from the budget script");
    }
    Reservation r;
    r.serverNowUs = reply.elements.at(0).integer;
    r.limit = reply.elements.at(1).integer;
    r.periodUs = reply.elements.at(2).integer;
    r.processes = reply.elements.at(3).integer;
    r.grantedTotal = reply.elements.at(4).integer;
    if (r.limit <= 0 || r.periodUs <= 0)
        return fail("the budget key holds no usable limit");
    for (qsizetype i = 5; i < reply.elements.size(); ++i)
        r.offsetsUs << reply.elements.at(i).integer;
    return r;
}

} // namespace headroom::budget
