#pragma once

#include "core/sandbox/HttpRequest.h"

#include <QJsonObject>
#include <QString>

namespace headroom::sandbox {

// Names what one accepted item stands for, so the stats can say whether every
// row was accepted exactly once. In order: the X-Headroom-Row header (single
// calls only), the body's messageId (Segment), its id (Customer.io event
// dedupe id), the customer id of the path or identifiers, userId/anonymousId.
// The kind is part of the name ("row:17", "messageId:m-1", "customer:42").
class RowIdentity
{
public:
    static QString ofHeader(const HttpRequest &request);
    static QString ofItem(const QJsonObject &item, const QString &customerId = {});
    // Header first, then the body.
    static QString ofRequest(const HttpRequest &request, const QJsonObject &body, const QString &customerId = {});
};

} // namespace headroom::sandbox
