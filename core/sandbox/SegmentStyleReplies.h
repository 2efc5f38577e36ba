#pragma once

#include "core/sandbox/HttpResponse.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace headroom::sandbox {

// What Segment's HTTP Tracking API answers, and Customer.io's Pipelines API,
// which copies it: `{"success": ..., "message": ...}` bodies, a 429 in the same
// words, the single-call paths, and the rule that a call names its user
// (a userId or an anonymousId, a string or a number).
class SegmentStyleReplies
{
public:
    static HttpResponse failure(int status, const QString &message);
    static HttpResponse success();
    static HttpResponse tooManyRequests();
    // identify, track, page, screen, group, alias (not batch).
    static bool isCallPath(const QByteArray &subPath);
    static bool hasUser(const QJsonObject &call);
};

} // namespace headroom::sandbox
