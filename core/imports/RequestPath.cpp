#include "core/imports/RequestPath.h"

#include <QList>
#include <QStringList>

namespace headroom::imports {

namespace {

// One call of a profile: "*" stands for one id segment.
struct Operation
{
    const char *method;
    const char *pattern;
};

constexpr Operation kCustomerIoTrack[] = {
    {"PUT", "/api/v1/customers/*"},
    {"POST", "/api/v1/customers/*/events"},
    {"POST", "/api/v1/events"},
    {"POST", "/api/v1/customers/*/suppress"},
    {"DELETE", "/api/v1/customers/*"},
    {"POST", "/api/v2/batch"},
};
// Transactional sends, broadcast triggers, and the App API's other calls as
// its reference lists them (people, campaigns, segments, newsletters,
// messages, activities, exports), which share its general limit.
constexpr Operation kCustomerIoApp[] = {
    {"POST", "/v1/send/email"},
    {"POST", "/v1/campaigns/*/triggers"},
    {"GET", "/v1/campaigns/*/triggers/*"},
    {"GET", "/v1/customers/*/attributes"},
    {"GET", "/v1/customers/*/messages"},
    {"GET", "/v1/customers/*/activities"},
    {"GET", "/v1/customers/*/segments"},
    {"POST", "/v1/customers/attributes"},
    {"GET", "/v1/campaigns"},
    {"GET", "/v1/campaigns/*"},
    {"GET", "/v1/campaigns/*/metrics"},
    {"GET", "/v1/segments"},
    {"GET", "/v1/segments/*"},
    {"GET", "/v1/segments/*/membership"},
    {"GET", "/v1/newsletters"},
    {"GET", "/v1/newsletters/*"},
    {"GET", "/v1/messages"},
    {"GET", "/v1/messages/*"},
    {"GET", "/v1/activities"},
    {"GET", "/v1/exports"},
    {"POST", "/v1/exports/customers"},
    {"POST", "/v1/exports/deliveries"},
};
constexpr Operation kSegmentTracking[] = {
    {"POST", "/v1/identify"},
    {"POST", "/v1/track"},
    {"POST", "/v1/batch"},
};
constexpr Operation kCustomerIoPipelines[] = {
    {"POST", "/v1/identify"},
    {"POST", "/v1/track"},
    {"POST", "/v1/group"},
    {"POST", "/v1/batch"},
};

bool matches(QStringView pattern, QStringView path)
{
    const QList<QStringView> want = pattern.split(QLatin1Char('/'));
    const QList<QStringView> have = path.split(QLatin1Char('/'));
    if (want.size() != have.size())
        return false;
    for (qsizetype i = 0; i < want.size(); ++i) {
        if (want.at(i) == QLatin1String("*")) {
            if (have.at(i).isEmpty())
                return false;
        } else if (want.at(i) != have.at(i)) {
            return false;
        }
    }
    return true;
}

template <size_t N>
bool anyMatches(const Operation (&operations)[N], QByteArrayView method, QStringView path)
{
    for (const Operation &o : operations) {
        if (method == QByteArrayView(o.method) && matches(QString::fromLatin1(o.pattern), path))
            return true;
    }
    return false;
}

} // namespace

bool RequestPath::isDotSegment(QByteArrayView segment)
{
    qsizetype dots = 0;
    for (qsizetype i = 0; i < segment.size();) {
        if (segment.at(i) == '.') {
            ++i;
        } else if (segment.sliced(i).startsWith("%2e") || segment.sliced(i).startsWith("%2E")) {
            i += 3;
        } else {
            return false;
        }
        ++dots;
    }
    return dots == 1 || dots == 2;
}

bool RequestPath::hasDotSegment(QByteArrayView path)
{
    qsizetype end = path.size();
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (path.at(i) == '?' || path.at(i) == '#') {
            end = i;
            break;
        }
    }
    qsizetype start = 0;
    for (qsizetype i = 0; i <= end; ++i) {
        if (i == end || path.at(i) == '/' || path.at(i) == '\\') {
            if (isDotSegment(path.sliced(start, i - start)))
                return true;
            start = i + 1;
        }
    }
    return false;
}

bool RequestPath::isOperation(Profile profile, QByteArrayView method, QStringView path)
{
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    const QStringView bare = query >= 0 ? path.first(query) : path;
    if (hasDotSegment(path.toUtf8()))
        return false;
    switch (profile) {
    case Profile::CustomerIoTrack:
        return anyMatches(kCustomerIoTrack, method, bare);
    case Profile::CustomerIoApp:
        return anyMatches(kCustomerIoApp, method, bare);
    case Profile::SegmentTracking:
        return anyMatches(kSegmentTracking, method, bare);
    case Profile::CustomerIoPipelines:
        return anyMatches(kCustomerIoPipelines, method, bare);
    case Profile::SegmentPublic:
    case Profile::Generic:
        return true;
    }
    return false;
}

} // namespace headroom::imports
