#pragma once

#include "core/sandbox/EmulatedApi.h"

namespace headroom::sandbox {

// Segment Public API (api.segmentapis.com) under /segment-public: any path and
// method is a management call. Bearer auth; a fixed window per token (default
// 30 per 10 s); every answer carries X-RateLimit-Consumed/Remaining/Reset and
// a 429 the errors[].data.{remainingPoints, msBeforeNext, consumedPoints} body.
class SegmentPublicApi final : public EmulatedApi
{
public:
    QString name() const override { return QStringLiteral("segment-public"); }
    ApiReply handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context) override;

protected:
    HttpResponse tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const override;
};

} // namespace headroom::sandbox
