#pragma once

#include "core/imports/MappedRow.h"
#include "core/imports/PayloadRules.h"

#include <QString>

namespace headroom::imports {

// The documented limits a mapped row's parts must keep (PayloadRules): an
// API that answers 200 to a payload over them and drops it, or refuses it
// only once it is sent, is told nothing it cannot take. Pure.
class MappedRowLimits
{
public:
    // Why `row` breaks a limit of `rules`; empty when it keeps them all.
    static QString refusal(const MappedRow &row, const PayloadRules &rules);
};

} // namespace headroom::imports
