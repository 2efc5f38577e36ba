#include "core/run/ProgressWatch.h"

#include "core/clock/DurationText.h"
#include "core/run/LivenessGuard.h"

#include <algorithm>

namespace headroom::run {

namespace {

// QTimer takes an int of milliseconds: a longer bound is looked at again.
constexpr std::chrono::milliseconds kLongestTimer = std::chrono::hours(24);

} // namespace

std::chrono::milliseconds ProgressWatch::timeLeft(TimePoint now) const
{
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(LivenessGuard::later(m_lastProgressAt, m_bound) - now);
    return std::clamp(left, std::chrono::milliseconds(0), kLongestTimer);
}

QString ProgressWatch::spokenBound() const
{
    using namespace std::chrono;
    if (m_bound >= hours(1) && m_bound % hours(1) == Duration::zero())
        return QString::number(duration_cast<hours>(m_bound).count()) + QLatin1Char('h');
    if (m_bound >= minutes(1) && m_bound % minutes(1) == Duration::zero())
        return QString::number(duration_cast<minutes>(m_bound).count()) + QLatin1Char('m');
    return DurationText::format(m_bound);
}

} // namespace headroom::run
