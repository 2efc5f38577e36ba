#include "core/imports/ImportProfile.h"

namespace headroom::imports {

namespace {
struct Entry
{
    Profile profile;
    const char *name;
};
constexpr Entry kProfiles[] = {
    {Profile::CustomerIoTrack, "customerio-track"},
    {Profile::CustomerIoApp, "customerio-app"},
    {Profile::SegmentPublic, "segment-public"},
    {Profile::SegmentTracking, "segment-tracking"},
    {Profile::CustomerIoPipelines, "customerio-pipelines"},
    {Profile::Generic, "generic"},
};
} // namespace

std::optional<Profile> ImportProfile::fromName(const QString &name)
{
    for (const Entry &e : kProfiles) {
        if (name == QLatin1String(e.name))
            return e.profile;
    }
    return std::nullopt;
}

QString ImportProfile::name(Profile profile)
{
    for (const Entry &e : kProfiles) {
        if (e.profile == profile)
            return QLatin1String(e.name);
    }
    return {};
}

QStringList ImportProfile::names()
{
    QStringList out;
    for (const Entry &e : kProfiles)
        out << QLatin1String(e.name);
    return out;
}

} // namespace headroom::imports
