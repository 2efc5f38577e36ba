#pragma once

#include "core/run/Dispatcher.h"

#include <QList>
#include <QObject>

class QAction;
class QMainWindow;

namespace headroom::ui {

// The console's own run as actions: Start, Pause, Resume and Cancel with
// their icons, shortcuts and tips, and Export charts, on a "Run" toolbar of
// the window; each enabled only when the run's state allows it.
class RunActions : public QObject
{
    Q_OBJECT
public:
    explicit RunActions(QMainWindow *window);

    QAction *start() const { return m_start; }
    QAction *pause() const { return m_pause; }
    QAction *resume() const { return m_resume; }
    QAction *cancel() const { return m_cancel; }
    QAction *exportCharts() const { return m_exportCharts; }
    // Start, Pause, Resume, Cancel: the Run menu's and the toolbar's.
    QList<QAction *> runActions() const { return {m_start, m_pause, m_resume, m_cancel}; }

    // `hasFile`: the Import panel has a file to start on.
    void update(bool running, bool starting, run::Dispatcher::State state, bool hasFile);

private:
    QAction *m_start;
    QAction *m_pause;
    QAction *m_resume;
    QAction *m_cancel;
    QAction *m_exportCharts;
};

} // namespace headroom::ui
