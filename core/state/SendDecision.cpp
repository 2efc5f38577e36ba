#include "core/state/SendDecision.h"

namespace headroom::state {

SendDecision::Verdict SendDecision::decide(ChangeMode mode, const std::optional<QByteArray> &stored,
                                           const QByteArray &fingerprint)
{
    switch (mode) {
    case ChangeMode::All:
        return {true, Reason::Unfiltered};
    case ChangeMode::ChangedOnly:
        if (!stored)
            return {true, Reason::New};
        return *stored == fingerprint ? Verdict{false, Reason::Unchanged} : Verdict{true, Reason::Changed};
    case ChangeMode::OnlyNew:
        return stored ? Verdict{false, Reason::Known} : Verdict{true, Reason::New};
    case ChangeMode::OnlyExisting:
        return stored ? Verdict{true, Reason::Existing} : Verdict{false, Reason::Unknown};
    }
    return {true, Reason::Unfiltered};
}

QString SendDecision::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::Unfiltered:
        return QStringLiteral("unfiltered");
    case Reason::New:
        return QStringLiteral("new");
    case Reason::Changed:
        return QStringLiteral("changed");
    case Reason::Unchanged:
        return QStringLiteral("unchanged");
    case Reason::Known:
        return QStringLiteral("known");
    case Reason::Unknown:
        return QStringLiteral("unknown");
    case Reason::Existing:
        return QStringLiteral("existing");
    }
    return {};
}

} // namespace headroom::state
