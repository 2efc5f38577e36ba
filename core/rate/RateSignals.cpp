#include "core/rate/RateSignals.h"

namespace headroom::rate {

QString resetFormName(ResetForm form)
{
    switch (form) {
    case ResetForm::None: return QStringLiteral("none");
    case ResetForm::HttpDate: return QStringLiteral("http-date");
    case ResetForm::EpochSeconds: return QStringLiteral("epoch-seconds");
    case ResetForm::EpochMilliseconds: return QStringLiteral("epoch-milliseconds");
    case ResetForm::DeltaSeconds: return QStringLiteral("delta-seconds");
    }
    return QStringLiteral("none");
}

std::optional<qint64> RateSignals::impliedLimit() const
{
    if (limit)
        return limit;
    if (consumed && remaining)
        return *consumed + *remaining;
    return std::nullopt;
}

std::optional<TimePoint> RateSignals::serverWaitUntil() const
{
    if (nextWindowAt)
        return nextWindowAt;
    if (retryAfterAt)
        return retryAfterAt;
    if (remaining && *remaining <= 0 && resetAt)
        return resetAt;
    return std::nullopt;
}

} // namespace headroom::rate
