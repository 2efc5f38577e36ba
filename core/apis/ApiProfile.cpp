#include "core/apis/ApiProfile.h"

#include <chrono>

namespace headroom::apis {

using namespace std::chrono_literals;

namespace {

QList<ApiProfile> buildProfiles()
{
    QList<ApiProfile> profiles;

    ApiProfile track;
    track.name = QStringLiteral("customerio-track");
    track.title = QStringLiteral("Customer.io Track API");
    track.regions = {{QStringLiteral("us"), QUrl(QStringLiteral("https://track.customer.io"))},
                     {QStringLiteral("eu"), QUrl(QStringLiteral("https://track-eu.customer.io"))}};
    track.auth = AuthScheme::BasicSiteKey;
    track.rate = RateDefaults{100, 1s, WindowKind::Sliding};
    track.hasBatchEndpoint = true;
    profiles << track;

    ApiProfile app;
    app.name = QStringLiteral("customerio-app");
    app.title = QStringLiteral("Customer.io App API");
    app.regions = {{QStringLiteral("us"), QUrl(QStringLiteral("https://api.customer.io"))},
                   {QStringLiteral("eu"), QUrl(QStringLiteral("https://api-eu.customer.io"))}};
    app.auth = AuthScheme::Bearer;
    // 10 req/s for most endpoints; transactional sends and broadcasts have
    // scopes of their own (ProfileScopes).
    app.rate = RateDefaults{10, 1s, WindowKind::Sliding};
    profiles << app;

    ApiProfile segPublic;
    segPublic.name = QStringLiteral("segment-public");
    segPublic.title = QStringLiteral("Segment Public API");
    segPublic.regions = {{QStringLiteral("us"), QUrl(QStringLiteral("https://api.segmentapis.com"))},
                         {QStringLiteral("eu"), QUrl(QStringLiteral("https://eu1.api.segmentapis.com"))}};
    segPublic.auth = AuthScheme::Bearer;
    // The window is not published; headers say the truth, so start cautious.
    segPublic.rate = RateDefaults{30, 10s, WindowKind::Fixed};
    segPublic.defaultConcurrency = 6;
    segPublic.sendsRateHeaders = true;
    profiles << segPublic;

    ApiProfile segTracking;
    segTracking.name = QStringLiteral("segment-tracking");
    segTracking.title = QStringLiteral("Segment HTTP Tracking API");
    segTracking.regions = {{QStringLiteral("us"), QUrl(QStringLiteral("https://api.segment.io"))},
                           {QStringLiteral("eu"), QUrl(QStringLiteral("https://events.eu1.segmentapis.com"))}};
    segTracking.auth = AuthScheme::BasicWriteKey;
    segTracking.hasBatchEndpoint = true;
    profiles << segTracking; // limit unknown: discover it

    ApiProfile pipelines;
    pipelines.name = QStringLiteral("customerio-pipelines");
    pipelines.title = QStringLiteral("Customer.io Pipelines API");
    pipelines.regions = {{QStringLiteral("us"), QUrl(QStringLiteral("https://cdp.customer.io"))},
                         {QStringLiteral("eu"), QUrl(QStringLiteral("https://cdp-eu.customer.io"))}};
    // Basic auth with the API key as the user and a blank password, as
    // Segment's write key.
    pipelines.auth = AuthScheme::BasicWriteKey;
    pipelines.rate = RateDefaults{3000, 3s, WindowKind::Sliding};
    pipelines.hasBatchEndpoint = true;
    profiles << pipelines;

    ApiProfile generic;
    generic.name = QStringLiteral("generic");
    generic.title = QStringLiteral("Any REST API");
    generic.auth = AuthScheme::Bearer; // only sent when HEADROOM_TOKEN is set
    profiles << generic;

    return profiles;
}

} // namespace

QStringList ApiProfile::credentialVariables() const
{
    switch (auth) {
    case AuthScheme::BasicSiteKey:
        return {QStringLiteral("HEADROOM_SITE_ID"), QStringLiteral("HEADROOM_API_KEY")};
    case AuthScheme::Bearer:
        return {QStringLiteral("HEADROOM_TOKEN")};
    case AuthScheme::BasicWriteKey:
        return {QStringLiteral("HEADROOM_WRITE_KEY")};
    case AuthScheme::None:
        break;
    }
    return {};
}

QUrl ApiProfile::baseUrl(const QString &region) const
{
    for (const Region &r : regions) {
        if (region.isEmpty() || r.name == region)
            return r.baseUrl;
    }
    return {};
}

QUrl ApiProfile::sandboxUrl(quint16 port) const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(QLatin1Char('/') + name);
    return url;
}

const QList<ApiProfile> &ApiProfile::all()
{
    static const QList<ApiProfile> profiles = buildProfiles();
    return profiles;
}

const ApiProfile *ApiProfile::find(const QString &name)
{
    for (const ApiProfile &p : all()) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

QStringList ApiProfile::names()
{
    QStringList out;
    for (const ApiProfile &p : all())
        out << p.name;
    return out;
}

} // namespace headroom::apis
