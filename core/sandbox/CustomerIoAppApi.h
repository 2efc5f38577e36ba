#pragma once

#include "core/sandbox/EmulatedApi.h"

namespace headroom::sandbox {

// Customer.io App API (api.customer.io) under /customerio-app: transactional
// POST /v1/send/email, counted against the Track workspace its token maps to,
// broadcast triggers POST /v1/campaigns/{id}/triggers (default 1 per 10 s
// per broadcast), and a few other endpoints (campaigns, segments, customer
// attributes) under the general limit, 10 per 1 s per token. Bearer auth.
class CustomerIoAppApi final : public EmulatedApi
{
public:
    QString name() const override { return QStringLiteral("customerio-app"); }
    ApiReply handle(const HttpRequest &request, const QByteArray &subPath, const ApiContext &context) override;

protected:
    HttpResponse tooManyRequests(const RateDecision &decision, const ApiPolicy &policy) const override;

private:
    ApiReply sendEmail(const HttpRequest &request, const QJsonObject &body, const QString &token,
                       const ApiContext &context);
    static bool isGeneralEndpoint(const QByteArray &method, const QByteArray &subPath);
    ApiReply general(const HttpRequest &request, const QByteArray &subPath, const QJsonObject &body,
                     const QString &token, const ApiContext &context) const;

    qint64 m_nextDeliveryId = 1;
};

} // namespace headroom::sandbox
