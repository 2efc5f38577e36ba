#pragma once

#include "core/sandbox/EmulatedApi.h"

namespace headroom::sandbox {

// Customer.io Pipelines API (cdp.customer.io) under /customerio-pipelines:
// the Segment-compatible /v1/identify, /v1/track, /v1/group, /v1/page,
// /v1/screen, /v1/alias and /v1/batch. Basic auth with the API key as the
// user and no password; 3,000 requests per 3 s per key by default. As its
// documentation says, a call over 32 KB, or a batch over 500 KB or holding a
// call over 32 KB, is not processed: it gets a 200 all the same, and the
// stats count it in `silentlyDropped`. Its documentation promises no
// messageId dedupe, so the emulator drops no copy: a resent call counts twice.
class CustomerIoPipelinesApi final : public EmulatedApi
{
public:
    static constexpr int kMaxCallBytes = 32 * 1024;
    static constexpr int kMaxBatchBytes = 500 * 1024;

    QString name() const override { return QStringLiteral("customerio-pipelines"); }
    ApiReply handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context) override;

protected:
    HttpResponse tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const override;

private:
    // Why the server would not process the call (empty: it would).
    static QString oversize(const QByteArray &body, bool isBatch);
};

} // namespace headroom::sandbox
