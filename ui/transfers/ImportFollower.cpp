#include "ui/transfers/ImportFollower.h"

#include "core/clock/SteadyClock.h"
#include "core/run/RunController.h"
#include "core/transfers/TransferList.h"
#include "ui/live/LiveChartsPanel.h"
#include "ui/log/LogPanel.h"
#include "ui/session/RunSession.h"
#include "ui/transfers/TransferListPanel.h"
#include "ui/transfers/TransferStarter.h"

#include <QFileInfo>

#include <chrono>

namespace headroom::ui {

namespace {

// The runs' samples arrive at 10 Hz each: the totals are drawn at that pace,
// not once per run's sample.
constexpr std::chrono::milliseconds kTotalsEvery{100};

} // namespace

ImportFollower::ImportFollower(transfers::TransferList *list, TransferStarter *starter, RunSession *console,
                               LiveChartsPanel *live, LogPanel *log, QObject *parent)
    : QObject(parent)
    , m_list(list)
    , m_starter(starter)
    , m_console(console)
    , m_live(live)
    , m_log(log)
{
    // An import started while "All" is shown joins it.
    connect(list, &transfers::TransferList::transferChanged, this, [this](int index) {
        if (m_all && index >= 0 && index < m_list->count())
            include(m_starter->sessionOf(m_list->at(index)));
    });
    connect(list, &transfers::TransferList::aboutToRemove, this, [this](int index) {
        // Its session and models go with it.
        RunSession *session = m_starter->sessionOf(m_list->at(index));
        if (session && session == m_session && !m_all)
            follow(-1);
        if (session && m_all)
            m_included.remove(session); // its controller's connection goes with it
    });
}

void ImportFollower::follow(int row)
{
    if (row == TransferListPanel::kAllRows) {
        followAll();
        return;
    }
    if (row >= 0 && row < m_list->count()) {
        followOne(m_starter->sessionFor(m_list->at(row)),
                  tr("Charts of %1").arg(QFileInfo(m_list->at(row)->entry().settings.file).fileName()));
        return;
    }
    followOne(m_console, tr("Charts of the Import panel's run (Start); choose an import in the list, or All"));
}

void ImportFollower::describe(const QString &description)
{
    if (description == m_description)
        return;
    m_description = description;
    emit followed(description);
}

void ImportFollower::disconnectAll()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_included.clear();
}

void ImportFollower::followOne(RunSession *session, const QString &description)
{
    m_log->setModels(session->log(), session->deadLetters());
    describe(description);
    if (!m_all && session == m_session && !m_connections.isEmpty())
        return;
    disconnectAll();
    m_all = false;
    m_session = session;
    m_live->clear();
    m_connections << connect(session->controller(), &run::RunController::sampled, m_live, &LiveChartsPanel::addSnapshots);
}

void ImportFollower::followAll()
{
    // The log has no "All": it shows the console's own run.
    m_log->setModels(m_console->log(), m_console->deadLetters());
    describe(tr("Charts of every run at once, summed per rate-limit scope"));
    disconnectAll();
    m_all = true;
    m_session = m_console;
    m_live->clear();
    m_totals.reset(SteadyClock::instance().now());
    m_lastDrawn = {};
    m_lastTotals.clear();
    include(m_console);
    for (int i = 0; i < m_list->count(); ++i)
        include(m_starter->sessionOf(m_list->at(i)));
}

void ImportFollower::include(RunSession *session)
{
    if (!session || m_included.contains(session))
        return;
    m_included.insert(session);
    m_connections << connect(session->controller(), &run::RunController::sampled, this,
                             [this, session](const QList<metrics::LaneSnapshot> &lanes) { addToTotals(session, lanes); });
}

void ImportFollower::addToTotals(RunSession *session, const QList<metrics::LaneSnapshot> &lanes)
{
    const TimePoint now = SteadyClock::instance().now();
    m_totals.add(QString::number(quintptr(session)), lanes, session->scopeKeysOf(lanes), now);
    if (now - m_lastDrawn < kTotalsEvery)
        return;
    m_lastDrawn = now;
    m_lastTotals = m_totals.totals(now);
    m_live->addSnapshots(m_lastTotals);
}

} // namespace headroom::ui
