#include "core/rate/HeaderPacer.h"

#include "core/rate/RateSignals.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::rate {

using namespace std::chrono_literals;

namespace {
constexpr int kMaxRoundingWindows = 2;
constexpr size_t kMaxRememberedSends = 1 << 16;

qint64 toWallMs(TimePoint t, TimePoint now, WallTime wallNow)
{
    const auto wall = wallNow + std::chrono::duration_cast<WallTime::duration>(t - now);
    return std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count();
}

TimePoint fromWallMs(qint64 ms, TimePoint now, WallTime wallNow)
{
    const qint64 nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(wallNow.time_since_epoch()).count();
    return now + std::chrono::milliseconds(ms - nowMs);
}
} // namespace

HeaderPacer::HeaderPacer()
    : HeaderPacer(Config{})
{
}

HeaderPacer::HeaderPacer(Config config)
    : m_config(config)
    , m_guess(config.guessedWindow)
{
}

QString HeaderPacer::stateName(State state)
{
    switch (state) {
    case State::Probing: return QStringLiteral("probing");
    case State::Silent: return QStringLiteral("silent");
    case State::InWindow: return QStringLiteral("in-window");
    case State::Spent: return QStringLiteral("spent");
    case State::Opening: return QStringLiteral("opening");
    }
    return QString();
}

HeaderPacer::State HeaderPacer::state(TimePoint now) const
{
    // The one transition time makes on its own: a window's latest end passes.
    if ((m_state == State::InWindow || m_state == State::Spent) && now >= m_windowEnd)
        return State::Opening;
    return m_state;
}

std::optional<TimePoint> HeaderPacer::windowEnd() const
{
    if (!hasReport())
        return std::nullopt;
    return m_windowEnd;
}

qint64 HeaderPacer::sendsFrom(TimePoint from) const
{
    const auto it = std::lower_bound(m_sends.begin(), m_sends.end(), from);
    return qint64(std::distance(it, m_sends.end()));
}

qint64 HeaderPacer::sendsBetween(TimePoint from, TimePoint to) const
{
    const auto first = std::lower_bound(m_sends.begin(), m_sends.end(), from);
    const auto last = std::upper_bound(first, m_sends.end(), to);
    return qint64(std::distance(first, last));
}

qint64 HeaderPacer::available(TimePoint now) const
{
    if (!hasReport())
        return std::numeric_limits<qint64>::max();
    if (now >= m_windowEnd)
        return availableAfterWindow();
    // Requests sent after the reporting one are not in its `remaining`; nor,
    // perhaps, are those sent up to `arrivalMargin` before it (they may have
    // arrived after it). The reporting request itself is.
    const qint64 after = sendsFrom(m_remainingSentAt - m_config.arrivalMargin);
    const qint64 bySends = m_remaining - std::max<qint64>(0, after - 1);
    // In a burst every send is within the margin of the report, so that
    // count keeps nothing back; but whatever has answered is in the least
    // `remaining` of the window, so only what is still out can be missing.
    const qint64 byFlights = m_remaining - qint64(m_inFlight.size()) - m_unreported;
    return std::max(bySends, byFlights);
}

qint64 HeaderPacer::availableAfterWindow() const
{
    // A fresh window, of which anything sent since, and anything still out
    // from before, may already have taken a share.
    if (!m_limit)
        return m_inFlight.empty() ? 1 : 0; // probe: one request tells us the new window
    const qint64 outFromBefore = qint64(std::count_if(m_inFlight.begin(), m_inFlight.end(),
                                                      [this](const Flight &f) { return f.wireAt < m_windowEnd; }));
    return *m_limit - sendsFrom(m_windowEnd) - outFromBefore;
}

std::optional<TimePoint> HeaderPacer::roundingProbeAt() const
{
    if (m_dateRounding != DateRounding::Unknown || !m_coarseReset || m_windowModel != WindowModel::OpenedByRequest
        || m_shared || !m_windowStart || !m_windowLower || !m_windowUpper)
        return std::nullopt;
    if (*m_windowUpper <= Duration(1s))
        return std::nullopt;
    // The configured window's test tells the rounding too, without holding a request back.
    if (guessedEnd())
        return std::nullopt;
    // Windows that passed with the rounding still unknown say this server's
    // answers cannot tell it: holding each window's last request for it
    // would only delay the run's end (by up to a window, in its last one).
    if (m_windowsWithoutRounding >= kMaxRoundingWindows)
        return std::nullopt;
    // Rounded-up dates make the window end at least a second before the
    // truncated guess's upper bound, so a request one second before that
    // bound lands after the end, opens a new window and proves the dates
    // rounded up; with truncated dates it lands before the end and is counted
    // in the old one, which proves them truncated. While the guess is still
    // wider than that second, the request goes early enough that a new window
    // opened by it still proves rounding up, and a count in the old one only
    // says "not yet known".
    const Duration margin = m_config.arrivalMargin;
    return *m_windowStart + std::min(*m_windowLower - 3 * margin, *m_windowUpper - 1s + 2 * margin);
}

TimePoint HeaderPacer::earliestSend(TimePoint now) const
{
    switch (state(now)) {
    case State::Probing:
        return m_inFlight.empty() ? now : TimePoint::max();
    case State::Silent:
        return now;
    case State::InWindow:
        return inWindowSend(now);
    case State::Spent:
        if (const auto guessed = guessedEnd())
            return std::max(now, *guessed);
        return m_windowEnd;
    case State::Opening:
        return openingSend(now);
    }
    return now;
}

TimePoint HeaderPacer::inWindowSend(TimePoint now) const
{
    if (available(now) == 1) {
        if (const auto probeAt = roundingProbeAt(); probeAt && *probeAt < m_windowEnd)
            return std::max(now, *probeAt);
    }
    if (!m_shared)
        return now;
    // Spread what is left evenly up to the EARLIEST the window may end, so
    // none of it lands after the end and goes to waste.
    const TimePoint spreadEnd = std::min(m_windowEnd, m_windowEndLower);
    if (spreadEnd <= m_lastSend)
        return now;
    const TimePoint paced = m_lastSend + (spreadEnd - m_lastSend) / (available(now) + 1);
    return std::max(now, paced);
}

TimePoint HeaderPacer::openingSend(TimePoint now) const
{
    if (m_guessTestSentAt)
        return TimePoint::max(); // the request testing the configured window is out: its answer will tell
    const std::optional<Duration> window = learnedWindow();
    if (availableAfterWindow() <= 0) {
        if (!m_inFlight.empty())
            return TimePoint::max(); // the next answer will tell
        // Everything sent into the new window has answered without news of it:
        // one probe once even a window opened by the first of them is over.
        const auto first = std::lower_bound(m_sends.begin(), m_sends.end(), m_windowEnd);
        const TimePoint firstSend = first == m_sends.end() ? m_lastSend : *first;
        const Duration span = window.value_or(std::max<Duration>(1s, m_windowEnd - m_remainingSentAt));
        return std::max(now, firstSend + m_config.arrivalMargin + span);
    }
    if (m_lastSend < m_windowEnd)
        return std::max(now, m_openAt);
    if (window && m_limit && *m_limit > 0) {
        // The new window's first answer is not back: no faster than the limit on average until it is.
        const TimePoint paced = m_lastSend + *window / (*m_limit + 1);
        return std::max(now, paced);
    }
    return now;
}

std::optional<TimePoint> HeaderPacer::guessedEnd() const
{
    if (!m_guess || m_guessTestSentAt || !hasReport() || m_windowModel != WindowModel::OpenedByRequest
        || !m_windowStart)
        return std::nullopt;
    // The opener arrived before its answer came back, however late it left:
    // a window of the guessed length is over by then plus the guess, and a
    // request sent then arrives after it whatever the uplink's jitter.
    const Duration margin = m_config.arrivalMargin;
    const TimePoint end = std::max(*m_windowStart + margin, m_windowOpenerAnswered) + *m_guess;
    // Dates whose rounding is unknown may read a second late.
    const Duration slack = m_coarseReset && m_dateRounding == DateRounding::Unknown ? Duration(1s) : Duration::zero();
    if (end >= m_windowEnd || end < m_windowEndLower - slack - margin)
        return std::nullopt;
    return end;
}

void HeaderPacer::judgeGuess(TimePoint sentAt, const std::optional<Report> &report, int status)
{
    if (report && report->opensWindow && !report->inHeldWindow && status != 429)
        return; // it opened the next window: the guessed length holds
    m_guess.reset();
    // Refused, or counted in the old window: that window was still open when it arrived.
    if (m_windowStart && m_windowLower && m_windowUpper && report && sentAt > *m_windowStart)
        learnWindow(sentAt - *m_windowStart - m_config.arrivalMargin, *m_windowUpper);
}

TimePoint HeaderPacer::openingInstant() const
{
    if (!m_limit || !m_coarseReset || m_windowModel != WindowModel::OpenedByRequest || !m_windowLower
        || !m_windowUpper || *m_windowUpper - *m_windowLower <= 2 * m_config.arrivalMargin + 2ms)
        return m_windowEnd;
    // A configured window the server confirmed: the windows end where it says,
    // and waiting to narrow the dates' uncertainty gains nothing.
    if (m_guess && *m_windowUpper <= *m_guess + 2 * m_config.arrivalMargin + 2ms)
        return m_windowEnd;
    // Open the next window where its reset date splits [lower, upper] in two
    // (either rounding: the whole second sits at `middle`, so the date moves
    // by one depending on which side of it the window ends): the first such
    // instant after the held window's end.
    const Duration middle = (*m_windowLower + *m_windowUpper) / 2;
    Duration offset = ((m_reportedReset - middle) - m_windowEnd) % Duration(1s);
    if (offset < Duration::zero())
        offset += 1s;
    // Worth waiting for only when the wait is shorter than what each later
    // window would otherwise lose to the uncertainty.
    if (offset < *m_windowUpper - *m_windowLower)
        return m_windowEnd + offset;
    return m_windowEnd;
}

void HeaderPacer::settle(TimePoint now)
{
    if (!hasReport())
        return;
    m_openAt = openingInstant();
    if (now >= m_windowEnd)
        m_state = State::Opening;
    else
        m_state = available(now) > 0 ? State::InWindow : State::Spent;
}

void HeaderPacer::onSend(TimePoint now)
{
    if (const auto guessed = guessedEnd(); guessed && now >= *guessed && now < m_windowEnd && available(now) <= 0)
        m_guessTestSentAt = now;
    m_sends.push_back(now);
    m_inFlight.push_back({now, now});
    m_lastSend = now;
    trim();
    settle(now);
}

void HeaderPacer::onWire(TimePoint sentAt, TimePoint wireAt)
{
    if (wireAt <= sentAt)
        return;
    // Windows are learned from when requests reached the server; the hand-over
    // to QNAM can be tens of ms earlier than that (a new connection's handshake).
    const auto flight = std::find_if(m_inFlight.begin(), m_inFlight.end(),
                                     [sentAt](const Flight &f) { return f.sentAt == sentAt && f.wireAt == sentAt; });
    if (flight == m_inFlight.end())
        return;
    flight->wireAt = wireAt;
    auto it = std::lower_bound(m_sends.begin(), m_sends.end(), sentAt);
    if (it != m_sends.end() && *it == sentAt) {
        *it = wireAt;
        for (auto next = std::next(it); next != m_sends.end() && *next < *it; ++it, ++next)
            std::iter_swap(it, next);
    }
    m_lastSend = std::max(m_lastSend, wireAt);
    settle(wireAt);
}

void HeaderPacer::trim()
{
    // Sends are counted only from the request whose answer carries a report
    // (and from its window's opener, or the window's end, which are no
    // earlier): without a report yet, that is a request still in flight or a
    // later one, so nothing older than the oldest flight is ever counted. A
    // server that never reports then costs a second of sends, not a history
    // that grows with the run.
    TimePoint keepFrom = (m_inFlight.empty() ? m_lastSend : m_inFlight.front().sentAt) - m_config.arrivalMargin - 1s;
    if (hasReport()) {
        keepFrom = std::min(m_remainingSentAt, m_windowEnd) - m_config.arrivalMargin - 1s;
        if (m_windowStart) // the sharing check counts every send of the window
            keepFrom = std::min(keepFrom, *m_windowStart - m_config.arrivalMargin - 1s);
    }
    while (!m_sends.empty() && (m_sends.front() < keepFrom || m_sends.size() > kMaxRememberedSends))
        m_sends.pop_front();
}

void HeaderPacer::learnWindow(Duration lower, Duration upper)
{
    if (upper > Duration::zero())
        m_windowUpper = m_windowUpper ? std::min(*m_windowUpper, upper) : upper;
    m_windowLower = m_windowLower ? std::max(*m_windowLower, lower) : lower;
    if (m_windowUpper && *m_windowLower > *m_windowUpper + 1ms) { // contradiction: windows are not opened by requests
        m_windowModel = WindowModel::Unanchored;
        m_windowUpper.reset();
        m_windowLower.reset();
    }
}

void HeaderPacer::onResponse(TimePoint now, const ResponseObservation &observation)
{
    const TimePoint sentAt = matchFlight(now, observation.latency);
    const RateSignals *parsed = observation.rateSignals;
    absorbLimit(parsed);
    const std::optional<Report> report = readReport(parsed);
    if (!report) {
        if (m_answerTestsGuess)
            judgeGuess(sentAt, report, observation.status);
        absorbSilence(sentAt, parsed && observation.status > 0);
        if (m_state == State::Probing && observation.status > 0)
            m_state = State::Silent; // an answer came, and it says nothing
        settle(now);
        return;
    }
    if (m_answerTestsGuess) // a refusal says the guess was wrong, not that windows are not opened by requests
        judgeGuess(sentAt, report, observation.status);
    else if (observation.status == 429 && m_windowStart && m_windowModel == WindowModel::OpenedByRequest)
        m_windowModel = WindowModel::Unanchored; // our idea of where windows end was wrong
    learnFromOpener(sentAt, *report, observation.status);
    if (report->opensWindow && m_windowModel == WindowModel::OpenedByRequest) {
        // The window opened when this request arrived, in [sentAt, sentAt + margin].
        m_coarseReset = report->coarseAbsolute;
        noticeRoundedUp(sentAt, *report);
        const auto [lowerEnd, upperEnd] = resetBounds(*report);
        learnWindow(lowerEnd - sentAt - m_config.arrivalMargin, upperEnd - sentAt);
    }
    noticeSharing(sentAt, *report);
    adoptReport(now, sentAt, *report);
    settle(now);
}

TimePoint HeaderPacer::matchFlight(TimePoint now, Duration latency)
{
    m_answerTestsGuess = false;
    TimePoint sentAt = now - std::max(Duration::zero(), latency);
    if (m_inFlight.empty())
        return sentAt;
    auto it = std::lower_bound(m_inFlight.begin(), m_inFlight.end(), sentAt,
                               [](const Flight &f, TimePoint t) { return f.sentAt < t; });
    if (it == m_inFlight.end())
        --it;
    else if (it != m_inFlight.begin() && (sentAt - (it - 1)->sentAt) < (it->sentAt - sentAt))
        --it; // the nearest send: latency may be rounded by the caller
    sentAt = it->wireAt;
    m_answerTestsGuess = m_guessTestSentAt && it->sentAt == *m_guessTestSentAt;
    if (m_answerTestsGuess)
        m_guessTestSentAt.reset();
    m_inFlight.erase(it);
    return sentAt;
}

void HeaderPacer::absorbLimit(const RateSignals *parsed)
{
    if (!parsed)
        return;
    if (auto limit = parsed->impliedLimit(); limit && *limit > 0)
        m_limit = limit;
    if (parsed->window && *parsed->window > Duration::zero()) {
        // A stated window bounds any fixed window: it opened no later than the
        // first request we saw in it.
        m_windowModel = WindowModel::Stated;
        m_windowUpper = *parsed->window;
        m_windowLower.reset();
    }
}

std::optional<HeaderPacer::Report> HeaderPacer::readReport(const RateSignals *parsed) const
{
    if (!parsed)
        return std::nullopt;
    std::optional<TimePoint> resetAt = parsed->resetAt;
    Duration resolution = parsed->resetResolution;
    std::optional<qint64> remaining = parsed->remaining;
    if (parsed->nextWindowAt) { // Segment's 429: exact to the millisecond
        resetAt = parsed->nextWindowAt;
        resolution = 1ms;
        if (!remaining)
            remaining = 0;
    }
    if (!remaining || !resetAt)
        return std::nullopt;
    Report r;
    r.resetAt = *resetAt;
    r.resolution = resolution;
    r.remaining = *remaining;
    r.coarseAbsolute = !parsed->nextWindowAt
                       && (parsed->resetForm == ResetForm::HttpDate || parsed->resetForm == ResetForm::EpochSeconds);
    r.opensWindow = (parsed->consumed && *parsed->consumed == 1) || (m_limit && *remaining == *m_limit - 1);
    const Duration tolerance = std::max(resolution, m_resetResolution) + 1ms;
    r.inHeldWindow = hasReport() && *resetAt >= m_reportedReset - tolerance && *resetAt <= m_reportedReset + tolerance;
    return r;
}

void HeaderPacer::absorbSilence(TimePoint sentAt, bool answered)
{
    if (!hasReport())
        return;
    // Some servers speak only on a 429 (Segment's Tracking API): once the
    // window they told of is over and an answer comes back silent, we know
    // nothing any more and must not keep holding the lane to one probe.
    if (answered && sentAt >= m_windowEnd)
        m_state = State::Silent;
    else if (sentAt < m_windowEnd)
        ++m_unreported; // it may have counted, and no later report need include it
}

std::pair<TimePoint, TimePoint> HeaderPacer::resetBounds(const Report &report) const
{
    // Whole-second absolute resets are written truncated or rounded up: the
    // true reset lies in [value, value + 1 s) or (value - 1 s, value]. Until
    // the pacer knows which, it assumes truncation, whose upper bound holds
    // for both. Deltas are rounded up, as Retry-After is (rate-limiter-flexible:
    // Math.ceil), and measured from the server's answer, which we receive later
    // still: the true reset lies in [value - resolution, value].
    if (report.coarseAbsolute && m_dateRounding != DateRounding::RoundedUp)
        return {report.resetAt, report.resetAt + report.resolution};
    return {report.resetAt - report.resolution, report.resetAt};
}

void HeaderPacer::learnFromOpener(TimePoint sentAt, const Report &report, int status)
{
    if (m_windowModel != WindowModel::OpenedByRequest || !m_windowStart || sentAt < *m_windowStart || !m_windowLower
        || !m_windowUpper)
        return;
    // What the held window's opener tells whatever the rounding: it arrived
    // in [start, start + margin]; a request the window still counted
    // arrived before it ended, and a later window opened no sooner than
    // one window after it.
    const Duration margin = m_config.arrivalMargin;
    const Duration sinceStart = sentAt - *m_windowStart;
    const bool laterWindow = report.opensWindow && !report.inHeldWindow;
    const bool countedInHeld = !report.opensWindow && report.inHeldWindow && status != 429;
    if (m_dateRounding == DateRounding::Unknown && m_coarseReset) {
        learnRounding(sinceStart, laterWindow, countedInHeld);
        if (laterWindow) // whatever the rounding, the held window had ended when it arrived
            learnWindow(Duration::zero(), sinceStart + margin);
    } else if (laterWindow) {
        learnWindow(Duration::zero(), sinceStart + margin);
    } else if (countedInHeld) {
        learnWindow(sinceStart - margin, *m_windowUpper);
    }
}

void HeaderPacer::learnRounding(Duration sinceStart, bool laterWindow, bool countedInHeld)
{
    const Duration margin = m_config.arrivalMargin;
    if (laterWindow && sinceStart + margin < *m_windowLower) {
        // Shorter than truncated dates allow: they are rounded up, and
        // every window is a second shorter than the dates made it look.
        m_dateRounding = DateRounding::RoundedUp;
        const Duration upper = std::min(*m_windowUpper - 1s, sinceStart + margin);
        const Duration lower = std::min(*m_windowLower - 1s, upper);
        m_windowUpper = upper;
        m_windowLower = lower;
    } else if (countedInHeld && sinceStart - margin > *m_windowUpper - 1s) {
        m_dateRounding = DateRounding::Truncated; // longer than rounded-up dates allow
    }
}

void HeaderPacer::noticeRoundedUp(TimePoint sentAt, const Report &report)
{
    if (!report.coarseAbsolute || m_dateRounding != DateRounding::Unknown || !m_windowUpper || !m_windowLower)
        return;
    // A truncated date would put this window's end later than a window can
    // last, by less than the second a rounded-up date reads late: the dates
    // are rounded up, and the lower bounds read from them a second too long.
    const Duration margin = m_config.arrivalMargin;
    const Duration truncatedLower = report.resetAt - sentAt - margin;
    if (truncatedLower <= *m_windowUpper + 1ms || truncatedLower - 1s > *m_windowUpper + 1ms)
        return;
    m_dateRounding = DateRounding::RoundedUp;
    m_windowLower = std::min(*m_windowLower - 1s, *m_windowUpper);
}

void HeaderPacer::noticeSharing(TimePoint sentAt, const Report &report)
{
    if (!report.inHeldWindow || !m_limit || !m_windowStart || report.opensWindow)
        return;
    // More counted in this window than we sent into it: someone else spends from it.
    const qint64 ours = sendsBetween(*m_windowStart - m_config.arrivalMargin, sentAt + m_config.arrivalMargin);
    if (*m_limit - std::max<qint64>(0, report.remaining) > ours)
        m_shared = true;
}

void HeaderPacer::adoptReport(TimePoint now, TimePoint sentAt, const Report &report)
{
    const qint64 remaining = std::max<qint64>(0, report.remaining);
    if (hasReport() && sentAt < m_remainingSentAt) {
        if (report.inHeldWindow) { // a fixed window only counts down: the least report is the latest count
            m_remaining = std::min(m_remaining, remaining);
            // The window's opener answered after a later request of it did.
            if (report.opensWindow && (!m_windowStart || sentAt < *m_windowStart)) {
                m_windowStart = sentAt;
                m_windowOpenerAnswered = now;
                boundEndByStart();
            }
        }
        return; // older news than what we hold
    }
    const auto [windowLower, windowUpper] = resetBounds(report);
    if (!report.inHeldWindow) {
        if (m_dateRounding == DateRounding::Unknown && hasReport())
            ++m_windowsWithoutRounding;
        // Successive resets of back-to-back windows are one window apart; the
        // smallest step seen is the window (or a multiple of it when idle).
        if (hasReport() && report.resetAt > m_reportedReset) {
            const Duration step = report.resetAt - m_reportedReset;
            m_resetStep = m_resetStep ? std::min(*m_resetStep, step) : step;
        }
        m_reportedReset = report.resetAt;
        m_resetResolution = report.resolution;
        m_windowEnd = windowUpper;
        m_windowEndLower = windowLower;
        m_windowStart.reset();
        m_remaining = remaining;
        m_unreported = 0;
    } else {
        m_windowEnd = std::min(m_windowEnd, windowUpper);
        m_windowEndLower = std::max(m_windowEndLower, windowLower);
        m_remaining = std::min(m_remaining, remaining);
    }
    if (report.opensWindow) {
        m_windowStart = sentAt;
        m_windowOpenerAnswered = now;
    }
    boundEndByStart();
    m_windowEnd = std::max(m_windowEnd, now); // never in the past relative to this news
    m_remainingSentAt = sentAt;
    m_state = State::InWindow; // settle() says which of the window's states
}

void HeaderPacer::boundEndByStart()
{
    if (m_windowStart && m_windowUpper && m_windowModel != WindowModel::Unanchored)
        m_windowEnd = std::min(m_windowEnd, *m_windowStart + m_config.arrivalMargin + *m_windowUpper);
}

double HeaderPacer::currentRate(TimePoint now) const
{
    if (!hasReport())
        return -1.0;
    if (now < m_windowEnd) {
        const qint64 left = std::max<qint64>(0, available(now));
        return double(left) / std::chrono::duration<double>(m_windowEnd - now).count();
    }
    if (const auto window = learnedWindow(); m_limit && window)
        return double(*m_limit) / std::chrono::duration<double>(*window).count();
    return -1.0;
}

QJsonObject HeaderPacer::saveState(TimePoint now, WallTime wallNow) const
{
    QJsonObject o{{QStringLiteral("kind"), name()}};
    if (m_limit)
        o.insert(QStringLiteral("limit"), *m_limit);
    if (m_windowUpper)
        o.insert(QStringLiteral("windowMs"), // an upper bound: rounded up, never down
                 qint64(std::chrono::ceil<std::chrono::milliseconds>(*m_windowUpper).count()));
    // The window above is measured with this rounding: restored without it, a
    // rounded-up window would contradict the dates and be thrown away.
    if (m_dateRounding != DateRounding::Unknown)
        o.insert(QStringLiteral("dateRounding"), m_dateRounding == DateRounding::RoundedUp ? QStringLiteral("rounded-up")
                                                                                           : QStringLiteral("truncated"));
    if (hasReport() && m_windowEnd > now) {
        o.insert(QStringLiteral("remaining"), m_remaining);
        o.insert(QStringLiteral("remainingSentWallMs"), toWallMs(m_remainingSentAt, now, wallNow));
        o.insert(QStringLiteral("windowEndWallMs"), toWallMs(m_windowEnd, now, wallNow));
        QJsonArray sends;
        for (TimePoint t : m_sends) {
            if (t >= m_remainingSentAt - m_config.arrivalMargin)
                sends.append(toWallMs(t, now, wallNow));
        }
        o.insert(QStringLiteral("sendsWallMs"), sends);
    }
    return o;
}

void HeaderPacer::restoreState(const QJsonObject &state, TimePoint now, WallTime wallNow)
{
    if (state.value(QStringLiteral("kind")).toString() != name())
        return;
    if (state.contains(QStringLiteral("limit")) && state.value(QStringLiteral("limit")).toDouble() > 0)
        m_limit = qint64(state.value(QStringLiteral("limit")).toDouble());
    if (state.value(QStringLiteral("windowMs")).toDouble() > 0)
        m_windowUpper = std::chrono::milliseconds(qint64(state.value(QStringLiteral("windowMs")).toDouble()));
    const QString rounding = state.value(QStringLiteral("dateRounding")).toString();
    if (rounding == QLatin1String("rounded-up"))
        m_dateRounding = DateRounding::RoundedUp;
    else if (rounding == QLatin1String("truncated"))
        m_dateRounding = DateRounding::Truncated;
    if (!state.contains(QStringLiteral("windowEndWallMs")))
        return;
    const TimePoint end = fromWallMs(qint64(state.value(QStringLiteral("windowEndWallMs")).toDouble()), now, wallNow);
    if (end <= now || end > now + m_config.maxHold)
        return; // over already, or a wall clock that jumped: start fresh
    m_state = State::InWindow;
    m_windowEnd = end;
    m_reportedReset = end;
    m_remaining = std::max<qint64>(0, qint64(state.value(QStringLiteral("remaining")).toDouble()));
    m_remainingSentAt = std::min(now, fromWallMs(qint64(state.value(QStringLiteral("remainingSentWallMs")).toDouble()), now, wallNow));
    std::deque<TimePoint> sends;
    for (const QJsonValue &v : state.value(QStringLiteral("sendsWallMs")).toArray())
        sends.push_back(std::min(now, fromWallMs(qint64(v.toDouble()), now, wallNow)));
    std::sort(sends.begin(), sends.end());
    m_sends = sends;
    if (!m_sends.empty())
        m_lastSend = m_sends.back();
    settle(now);
}

} // namespace headroom::rate
