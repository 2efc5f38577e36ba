// libFuzzer target for RateSignalParser: the input is a status line, header
// lines and, after an empty line, a body — the shape of an HTTP response.
//   first line: a status code ("429"); then "Name: value" lines; "\n\n"; body.
// The parser must never crash, hang or ask for a wait beyond its caps.
#include "core/clock/FakeClock.h"
#include "core/rate/RateSignalParser.h"

#include <QByteArray>
#include <QList>

#include <cstdint>
#include <cstdlib>

using headroom::rate::RateSignalParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = input.indexOf("\n\n");
    const QByteArray head = split >= 0 ? input.left(split) : input;
    const QByteArray body = split >= 0 ? input.mid(split + 2) : QByteArray();

    const QList<QByteArray> lines = head.split('\n');
    const int status = lines.isEmpty() ? 0 : lines.first().trimmed().toInt();
    RateSignalParser::HeaderList headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }

    static const headroom::FakeClock clock;
    const RateSignalParser::Config config;
    const auto s = RateSignalParser::parse(status, headers, body, clock, config);

    const auto now = clock.now();
    if (s.retryAfter && (*s.retryAfter < headroom::Duration::zero() || *s.retryAfter > config.maxRetryAfter))
        std::abort();
    if (s.msBeforeNext && (*s.msBeforeNext < headroom::Duration::zero() || *s.msBeforeNext > config.maxRetryAfter))
        std::abort();
    if (s.resetAt && (*s.resetAt < now || *s.resetAt > now + config.maxResetIn))
        std::abort();
    if ((s.remaining && *s.remaining < 0) || (s.limit && *s.limit < 0))
        std::abort();
    return 0;
}
