#pragma once

#include "core/clock/Clock.h"

namespace headroom::rate {

// Tests a lane-wide pause the server asked for (Retry-After) with one request.
// Many servers round a sliding window's few milliseconds up to a whole second
// of Retry-After; a lane that already paces at the budget it learned from
// that very refusal loses that second to every 429. One request sent one
// pacing interval later tells the two apart: accepted, the pause was rounding
// and ends; refused, the pause stands and costs that one 429 (a server that
// blocks for the whole Retry-After, a penalty box, refuses it). One test per
// pause, never more.
class PauseProbe
{
public:
    // A pause that starts now (the lane was not paused before) and may be
    // tested with one request at `testAt`.
    void arm(TimePoint testAt);
    bool armed() const { return m_state == State::Armed; }
    TimePoint testAt() const { return m_testAt; }
    // The lane sent a request while paused, at or after testAt(): the test.
    void sent(TimePoint sentAt);
    bool isTest(TimePoint sentAt) const { return m_state == State::Out && sentAt == m_sentAt; }
    // The test's answer. True when the pause may end (the server accepted).
    bool answered(int status);
    void reset() { m_state = State::None; }

private:
    enum class State { None,
                       Armed,
                       Out };
    State m_state = State::None;
    TimePoint m_testAt{};
    TimePoint m_sentAt{};
};

} // namespace headroom::rate
