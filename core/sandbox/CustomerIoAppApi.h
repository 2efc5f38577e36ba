#pragma once

#include "core/sandbox/EmulatedApi.h"

namespace headroom::sandbox {

// Customer.io App API (api.customer.io) under /customerio-app: transactional
// POST /v1/send/email, counted against the Track workspace its token maps to,
// and broadcast triggers POST /v1/campaigns/{id}/triggers (default 1 per 10 s
// per broadcast). Bearer auth.
class CustomerIoAppApi final : public EmulatedApi
{
public:
    QString name() const override { return QStringLiteral("customerio-app"); }
    ApiReply handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context) override;

protected:
    HttpResponse tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const override;

private:
    qint64 m_nextDeliveryId = 1;
};

} // namespace headroom::sandbox
