#pragma once

#include "core/clock/Clock.h"
#include "core/metrics/LaneSnapshot.h"
#include "core/metrics/ScopeTotals.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace headroom::transfers {
class TransferList;
}

namespace headroom::ui {

class LiveChartsPanel;
class LogPanel;
class RunSession;
class TransferStarter;

// Which run the Live charts, the run log and the dead letters show: one
// import of the transfer list, the console's own run (the Start button's),
// or "All": every run's lanes summed per rate-limit scope (ScopeTotals), so
// imports into one workspace plot what the workspace receives. It connects
// the followed controllers' samples to the charts and nothing else.
class ImportFollower : public QObject
{
    Q_OBJECT
public:
    ImportFollower(transfers::TransferList *list, TransferStarter *starter, RunSession *console, LiveChartsPanel *live,
                   LogPanel *log, QObject *parent = nullptr);

    // `row` of the transfer list, -1 for the console's own run, or
    // TransferListPanel::kAllRows for every run at once.
    void follow(int row);
    bool followsAll() const { return m_all; }
    // The session whose log and dead letters are shown.
    RunSession *followedSession() const { return m_session; }
    // In "All": the totals last drawn, one per scope.
    QList<metrics::LaneSnapshot> lastTotals() const { return m_lastTotals; }
    // What the charts show, in words, for a caption above them.
    QString description() const { return m_description; }

signals:
    void followed(const QString &description);

private:
    void followOne(RunSession *session, const QString &description);
    void describe(const QString &description);
    void followAll();
    // In "All": follows `session` too, once.
    void include(RunSession *session);
    void addToTotals(RunSession *session, const QList<metrics::LaneSnapshot> &lanes);
    void disconnectAll();

    transfers::TransferList *m_list;
    TransferStarter *m_starter;
    RunSession *m_console;
    LiveChartsPanel *m_live;
    LogPanel *m_log;
    QPointer<RunSession> m_session;
    bool m_all = false;
    QList<QMetaObject::Connection> m_connections;
    QSet<RunSession *> m_included;
    metrics::ScopeTotals m_totals;
    TimePoint m_lastDrawn{};
    QString m_description;
    QList<metrics::LaneSnapshot> m_lastTotals;
};

} // namespace headroom::ui
