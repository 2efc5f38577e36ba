#include "core/scopes/ProfileScopes.h"

#include <chrono>

namespace headroom::scopes {

using namespace std::chrono_literals;

namespace {

ScopeSpec endpoint(const QString &name, const QString &method, const QString &path, const QString &key,
                   const QList<ScopeWindow> &windows)
{
    const std::optional<PathTemplate> parsed = PathTemplate::parse(path);
    Q_ASSERT(parsed);
    return ScopeSpec::matching(name, method, parsed.value_or(PathTemplate()), key, windows);
}

// Customer.io App API: 10/s for most endpoints; transactional sends and
// API-triggered broadcasts have limits of their own instead.
ScopeSet customerIoApp()
{
    ScopeSet set;
    set.insert(ScopeSpec::unmatched(ScopeSet::mainName(), {{10, 1s}}));
    set.insert(endpoint(QStringLiteral("transactional"), QStringLiteral("POST"), QStringLiteral("/v1/send/email"), {},
                        {{100, 1s}}));
    set.insert(endpoint(QStringLiteral("broadcasts"), QStringLiteral("POST"),
                        QStringLiteral("/v1/campaigns/{campaign}/triggers"), QStringLiteral("campaign"), {{1, 10s}}));
    return set;
}

// Customer.io Track API: one budget for the workspace.
ScopeSet customerIoTrack()
{
    ScopeSet set;
    set.insert(ScopeSpec::every(ScopeSet::mainName(), {{100, 1s}}));
    return set;
}

// Segment Public API: the token's budget covers every request (its window is
// not published, so it starts cautious and the headers say the truth); many
// endpoints have a per-minute limit of their own on top of it.
ScopeSet segmentPublic()
{
    ScopeSet set;
    set.insert(ScopeSpec::every(ScopeSet::mainName(), {{30, 10s}}));
    struct Row
    {
        const char *name;
        const char *method;
        const char *path;
        int perMinute;
    };
    static constexpr Row rows[] = {
        {"warehouse-syncs", "", "/warehouses/{warehouseId}/syncs", 2},
        {"destination-subscriptions", "", "/destinations/{destinationId}/subscriptions", 5},
        {"audience-previews", "POST", "/spaces/{spaceId}/audiences/previews", 5},
        {"computed-traits", "POST", "/spaces/{spaceId}/computed-traits", 10},
        {"reverse-etl-syncs", "POST", "/reverse-etl-models/sync", 20},
        {"labels", "", "/labels", 60},
        {"users", "", "/users", 60},
        {"groups", "", "/groups", 60},
        {"event-volume", "", "/events/volume", 60},
        {"regulations", "", "/regulations", 600},
    };
    for (const Row &r : rows) {
        set.insert(endpoint(QString::fromLatin1(r.name), QString::fromLatin1(r.method), QString::fromLatin1(r.path),
                            {}, {{r.perMinute, 1min}}));
    }
    return set;
}

// Customer.io Pipelines API: 3,000 requests per 3 s for the key's workspace.
ScopeSet customerIoPipelines()
{
    ScopeSet set;
    set.insert(ScopeSpec::every(ScopeSet::mainName(), {{3000, 3s}}));
    return set;
}

} // namespace

ScopeSet ProfileScopes::forProfile(const QString &profileName)
{
    if (profileName == QLatin1String("customerio-app"))
        return customerIoApp();
    if (profileName == QLatin1String("customerio-track"))
        return customerIoTrack();
    if (profileName == QLatin1String("segment-public"))
        return segmentPublic();
    if (profileName == QLatin1String("customerio-pipelines"))
        return customerIoPipelines();
    return {};
}

} // namespace headroom::scopes
