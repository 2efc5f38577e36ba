#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace headroom::sandbox {

// The Segment Public API's endpoints that have a per-minute limit of their
// own on top of the token's budget, as its documentation lists them
// (warehouse syncs 2/min, destination subscriptions and audience previews
// 5/min, computed-trait creation 10/min, manual Reverse ETL sync 20/min,
// labels / users / groups / event volume 60/min, regulations 600/min).
// Kept apart from the client's scope table on purpose: the emulator must not
// share the client's idea of the limits, or it could not prove it wrong.
class SegmentEndpointLimits
{
public:
    struct Endpoint
    {
        QString name;
        int perMinute = 0;
    };

    static std::optional<Endpoint> find(const QByteArray &method, const QByteArray &path);
};

} // namespace headroom::sandbox
