#pragma once

#include "core/sandbox/EmulatedApi.h"

namespace headroom::sandbox {

// Customer.io Track API (track.customer.io) under /customerio-track: identify,
// track, anonymous event, suppress/unsuppress, delete (v1) and the v2 batch
// with per-item validation. Basic auth site_id:api_key; one sliding-window
// limit per workspace, shared with the App API's /v1/send/email.
class CustomerIoTrackApi final : public EmulatedApi
{
public:
    QString name() const override { return QStringLiteral("customerio-track"); }
    ApiReply handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context) override;
    // Customer.io keeps one event with a given `id` per workspace.
    QString dedupeScope(const QString &scope) const override { return scope; }

    static HttpResponse error(int status, const QString &message);
    static QString workspaceScope(const QString &siteId) { return QStringLiteral("customerio-track/") + siteId; }

protected:
    HttpResponse tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const override;

private:
    ApiReply handleBatch(const HttpRequest &request, const QString &scope, const ApiPolicy &policy,
                         const ApiContext &context);
};

} // namespace headroom::sandbox
