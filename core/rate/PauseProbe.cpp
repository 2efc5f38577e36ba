#include "core/rate/PauseProbe.h"

namespace headroom::rate {

void PauseProbe::arm(TimePoint testAt)
{
    m_state = State::Armed;
    m_testAt = testAt;
}

void PauseProbe::sent(TimePoint sentAt)
{
    if (m_state != State::Armed || sentAt < m_testAt)
        return;
    m_state = State::Out;
    m_sentAt = sentAt;
}

bool PauseProbe::answered(int status)
{
    if (m_state != State::Out)
        return false;
    m_state = State::None;
    return status >= 200 && status < 300;
}

} // namespace headroom::rate
