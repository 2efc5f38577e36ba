#pragma once

#include "core/clock/Clock.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace headroom::apis {

enum class AuthScheme {
    None,
    BasicSiteKey,  // Customer.io Track: Basic site_id:api_key
    Bearer,        // Customer.io App, Segment Public API
    BasicWriteKey, // Segment Tracking, Customer.io Pipelines: Basic writeKey:
};

enum class WindowKind { Sliding,
                        Fixed };

// The limit an API documents; the lane starts from it unless the operator or
// the server's headers say otherwise.
struct RateDefaults
{
    int limit = 0;
    Duration window{};
    WindowKind kind = WindowKind::Sliding;
};

struct Region
{
    QString name; // "us", "eu"
    QUrl baseUrl;
};

// Everything Headroom knows about one API before the first response: where it
// lives, how it authenticates, what limit it documents and whether it has a
// batch endpoint. One value per supported profile; see ApiProfile::all().
struct ApiProfile
{
    QString name;          // "customerio-track", ...
    QString title;         // human-readable
    QList<Region> regions; // first is the default
    AuthScheme auth = AuthScheme::None;
    std::optional<RateDefaults> rate; // empty: unknown, discover it
    int defaultConcurrency = 24;
    bool hasBatchEndpoint = false;
    bool sendsRateHeaders = false; // X-RateLimit-* on every 2xx (Segment Public)

    // The environment variables its credentials come from, in the order used.
    QStringList credentialVariables() const;
    QUrl baseUrl(const QString &region = {}) const;
    // The same API on a local sandbox: every profile lives under /<name>.
    QUrl sandboxUrl(quint16 port) const;

    static const QList<ApiProfile> &all();
    static const ApiProfile *find(const QString &name);
    static QStringList names();
};

} // namespace headroom::apis
