#pragma once

#include "core/imports/ImportProfile.h"

#include <QByteArrayView>
#include <QStringView>

namespace headroom::imports {

// What a call's path may look like. A path is relative to the profile's base
// URL; a "." or ".." segment would be resolved away on the way out (by Qt or
// by the server) and reach another endpoint, so no path may hold one.
class RequestPath
{
public:
    // ".", ".." and their percent-encoded spellings ("%2e", "%2E.", ...).
    static bool isDotSegment(QByteArrayView segment);
    // Whether any segment of the path (before "?" or "#"; "/" or "\" between
    // segments, since some servers read a backslash as a slash) is a dot segment.
    static bool hasDotSegment(QByteArrayView path);
    // Whether (method, path) is a call the profile makes. Profiles that send
    // request files (segment-public, generic) make whatever their files say.
    static bool isOperation(Profile profile, QByteArrayView method, QStringView path);
};

} // namespace headroom::imports
