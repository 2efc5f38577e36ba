#pragma once

#include "core/run/Dispatcher.h"
#include "core/run/RunProgress.h"
#include "core/run/RunSummary.h"

#include <QStatusBar>

class QLabel;
class QProgressBar;

namespace headroom::ui {

// The main window's status bar for the console's own run: its state, a
// progress bar against the rows preflight counted (until the run has read the
// whole file and knows for itself), and one line of totals; when the run ends,
// its summary in the same place.
class RunStatusBar : public QStatusBar
{
    Q_OBJECT
public:
    explicit RunStatusBar(QWidget *parent = nullptr);

    QProgressBar *progressBar() const { return m_progress; }
    QString totalsText() const;

    // Rows preflight counted in the file the run reads; -1 when no preflight covers it.
    void setPreflightRows(qint64 rows) { m_preflightRows = rows; }
    void showState(run::Dispatcher::State state);
    void showStarted();
    void showProgress(const run::RunProgress &progress);
    void showFinished(const run::RunSummary &summary);

    static QString stateName(run::Dispatcher::State state);
    static QString etaText(double seconds);

private:
    QProgressBar *m_progress;
    QLabel *m_state;
    QLabel *m_totals;
    qint64 m_preflightRows = -1;
};

} // namespace headroom::ui
