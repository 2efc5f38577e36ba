#pragma once

#include "core/sandbox/EmulatedApi.h"

namespace headroom::sandbox {

// A configurable generic REST API under /generic: any method and path, the
// request echoed back as JSON; /status/NNN answers NNN (400-599) instead. Default 50 per 1 s sliding, rate headers only
// when configured; Bearer auth only when "auth" is on.
class GenericApi final : public EmulatedApi
{
public:
    QString name() const override { return QStringLiteral("generic"); }
    ApiReply handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context) override;

protected:
    HttpResponse tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const override;
};

} // namespace headroom::sandbox
