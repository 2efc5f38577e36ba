#pragma once

#include <QString>

#include <optional>

namespace headroom::state {

// Which rows a run sends, given what the destination already accepted.
enum class ChangeMode {
    All,          // every row (the store is still kept up to date)
    ChangedOnly,  // rows whose mapped payload the destination has not accepted as it is now
    OnlyNew,      // rows whose identity the destination never accepted
    OnlyExisting, // rows whose identity the destination accepted before
};

// "all", "changed-only", "only-new", "only-existing": run.json's words.
QString changeModeName(ChangeMode mode);
std::optional<ChangeMode> changeModeFromName(const QString &name);

} // namespace headroom::state
