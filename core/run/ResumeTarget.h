#pragma once

#include "core/run/RunSettings.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace headroom::run {

// Where a resumed run sends, and whether it may. run.json is a file anyone
// with access to the run directory can edit; a resume sends the resumer's
// credentials, so a base URL other than the profile's own (or the embedded
// sandbox) is sent to only when the operator repeats it with --base-url.
class ResumeTarget
{
public:
    // The base URL the run's settings send to ("the embedded sandbox" for one).
    static QString describe(const RunSettings &settings);
    // Why the resume must not start; empty when it may. `confirmed` is the
    // operator's --base-url, if given.
    static QString refusal(const RunSettings &settings, const std::optional<QUrl> &confirmed);
};

} // namespace headroom::run
