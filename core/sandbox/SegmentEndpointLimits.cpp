#include "core/sandbox/SegmentEndpointLimits.h"

#include <QList>

namespace headroom::sandbox {

namespace {

struct Row
{
    const char *name;
    const char *method;  // "" for any
    const char *pattern; // "*" is one non-empty segment
    int perMinute;
};

constexpr Row kRows[] = {
    {"warehouse-syncs", "", "/warehouses/*/syncs", 2},
    {"destination-subscriptions", "", "/destinations/*/subscriptions", 5},
    {"audience-previews", "POST", "/spaces/*/audiences/previews", 5},
    {"computed-traits", "POST", "/spaces/*/computed-traits", 10},
    {"reverse-etl-syncs", "POST", "/reverse-etl-models/sync", 20},
    {"labels", "", "/labels", 60},
    {"users", "", "/users", 60},
    {"groups", "", "/groups", 60},
    {"event-volume", "", "/events/volume", 60},
    {"regulations", "", "/regulations", 600},
};

bool matches(const QByteArray &pattern, const QByteArray &path)
{
    const QList<QByteArray> want = pattern.split('/');
    const QList<QByteArray> have = path.split('/');
    if (want.size() != have.size())
        return false;
    for (qsizetype i = 0; i < want.size(); ++i) {
        if (want.at(i) == "*" ? have.at(i).isEmpty() : want.at(i) != have.at(i))
            return false;
    }
    return true;
}

} // namespace

std::optional<SegmentEndpointLimits::Endpoint> SegmentEndpointLimits::find(const QByteArray &method,
                                                                           const QByteArray &path)
{
    QByteArray bare = path;
    if (const qsizetype query = bare.indexOf('?'); query >= 0)
        bare.truncate(query);
    if (bare.size() > 1 && bare.endsWith('/'))
        bare.chop(1);
    for (const Row &row : kRows) {
        if (*row.method && method != row.method)
            continue;
        if (matches(QByteArray(row.pattern), bare))
            return Endpoint{QString::fromLatin1(row.name), row.perMinute};
    }
    return std::nullopt;
}

} // namespace headroom::sandbox
