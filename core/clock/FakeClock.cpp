#include "core/clock/FakeClock.h"

#include <stdexcept>

namespace headroom {

using namespace std::chrono_literals;

FakeClock::FakeClock()
    : m_now(TimePoint{} + 1000h)
    , m_wall(WallTime{} + std::chrono::seconds{1767225600}) // 2026-01-01T00:00:00Z
{
}

void FakeClock::advance(Duration by)
{
    if (by < Duration::zero())
        throw std::invalid_argument("FakeClock cannot move backwards");
    m_now += by;
    m_wall += std::chrono::duration_cast<WallTime::duration>(by);
}

void FakeClock::advanceTo(TimePoint to)
{
    advance(to - m_now);
}

} // namespace headroom
