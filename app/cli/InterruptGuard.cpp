#include "app/cli/InterruptGuard.h"

#include <atomic>
#include <utility>

namespace headroom::cli {

namespace {

std::atomic<int> g_interrupts{0};

extern "C" void onSignal(int)
{
    g_interrupts.fetch_add(1);
}

} // namespace

InterruptGuard::InterruptGuard(std::function<void(int count)> onInterrupt)
    : m_onInterrupt(std::move(onInterrupt))
{
    g_interrupts = 0;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART; // as std::signal installs it: blocking calls resume after a count
    sigaction(SIGINT, &action, &m_previousInt);
    sigaction(SIGTERM, &action, &m_previousTerm);
    QObject::connect(&m_poll, &QTimer::timeout, &m_poll, [this] { poll(); });
    m_poll.start(100);
}

InterruptGuard::~InterruptGuard()
{
    m_poll.stop();
    sigaction(SIGINT, &m_previousInt, nullptr);
    sigaction(SIGTERM, &m_previousTerm, nullptr);
}

void InterruptGuard::poll()
{
    const int count = g_interrupts.load();
    if (count == m_seen)
        return;
    m_seen = count;
    m_onInterrupt(count);
}

} // namespace headroom::cli
