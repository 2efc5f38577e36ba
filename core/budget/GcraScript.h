#pragma once

#include "core/budget/Reservation.h"
#include "core/budget/RedisValue.h"

#include <QByteArray>

#include <optional>

namespace headroom::budget {

// The one Lua script that decides for every process: GCRA on the Redis server's
// own TIME (client clocks never matter), one hash per budget holding the
// theoretical arrival time, the published limit and a grant counter, and a
// sorted set of the processes drawing from it.
//
// KEYS: budget hash, processes set.
// ARGV: limit, period µs, spacing margin µs, slots wanted, process id,
//       process TTL µs, published limit (0: none), published period µs.
// Returns {server now µs, limit, period µs, processes, granted total, offset µs...}.
class GcraScript
{
public:
    static const QByteArray &source();
    static QByteArray sha1();
    static std::optional<Reservation> parse(const RedisValue &reply, QByteArray *error);
};

} // namespace headroom::budget
