#include "core/state/ChangeMode.h"

namespace headroom::state {

QString changeModeName(ChangeMode mode)
{
    switch (mode) {
    case ChangeMode::All:
        return QStringLiteral("all");
    case ChangeMode::ChangedOnly:
        return QStringLiteral("changed-only");
    case ChangeMode::OnlyNew:
        return QStringLiteral("only-new");
    case ChangeMode::OnlyExisting:
        return QStringLiteral("only-existing");
    }
    return {};
}

std::optional<ChangeMode> changeModeFromName(const QString &name)
{
    for (ChangeMode m : {ChangeMode::All, ChangeMode::ChangedOnly, ChangeMode::OnlyNew, ChangeMode::OnlyExisting}) {
        if (changeModeName(m) == name)
            return m;
    }
    return std::nullopt;
}

} // namespace headroom::state
