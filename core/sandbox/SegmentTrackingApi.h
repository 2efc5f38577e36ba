#pragma once

#include "core/sandbox/EmulatedApi.h"

namespace headroom::sandbox {

// Segment HTTP Tracking API (api.segment.io) under /segment-tracking:
// /v1/identify, /v1/track, /v1/page, /v1/screen, /v1/group, /v1/alias and
// /v1/batch (<= 500 KB, <= 2500 events, <= 32 KB per event). Basic auth
// "writeKey:"; a 429 carries Retry-After and X-RateLimit-Reset in seconds.
class SegmentTrackingApi final : public EmulatedApi
{
public:
    static constexpr int kMaxCallBytes = 32 * 1024;
    static constexpr int kMaxBatchBytes = 500 * 1024;
    static constexpr int kMaxBatchEvents = 2500;

    QString name() const override { return QStringLiteral("segment-tracking"); }
    ApiReply handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context) override;
    // Segment's messageId dedupe is not scoped to a source or workspace.
    QString dedupeScope(const QString &) const override { return name(); }

protected:
    HttpResponse tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const override;
};

} // namespace headroom::sandbox
