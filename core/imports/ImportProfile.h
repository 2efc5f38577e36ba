#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace headroom::imports {

enum class Profile { CustomerIoTrack,
                     CustomerIoApp,
                     SegmentPublic,
                     SegmentTracking,
                     CustomerIoPipelines,
                     Generic };

// The profile names of the command line and what each implies for an import:
// whether rows are request files, and whether the API has a batch endpoint.
class ImportProfile
{
public:
    static std::optional<Profile> fromName(const QString &name);
    static QString name(Profile profile);
    static QStringList names();
    // segment-public and generic import files of {method, path, body} requests.
    static bool usesRequestFiles(Profile profile) { return profile == Profile::SegmentPublic || profile == Profile::Generic; }
    static bool hasBatchEndpoint(Profile profile) { return profile == Profile::CustomerIoTrack || isSegmentCompatible(profile); }
    // Segment's Tracking API and Customer.io's Pipelines API speak the same
    // calls (identify, track, batch with messageIds, userId or anonymousId).
    static bool isSegmentCompatible(Profile profile)
    {
        return profile == Profile::SegmentTracking || profile == Profile::CustomerIoPipelines;
    }
};

} // namespace headroom::imports
