#pragma once

#include "core/scopes/ScopeSet.h"

#include <QString>

namespace headroom::scopes {

// The scopes each API documents, as data: the ceilings a run starts from.
// A profile without a table of its own (generic, segment-tracking, a name not
// known) has only a main scope whose limit is unknown; the run's configured
// or documented rate fills it.
class ProfileScopes
{
public:
    static ScopeSet forProfile(const QString &profileName);
};

} // namespace headroom::scopes
