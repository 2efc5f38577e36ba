#include "ui/RunStatusBar.h"

#include <QLabel>
#include <QProgressBar>

#include <algorithm>

namespace headroom::ui {

RunStatusBar::RunStatusBar(QWidget *parent)
    : QStatusBar(parent)
    , m_progress(new QProgressBar(this))
    , m_state(new QLabel(this))
    , m_totals(new QLabel(this))
{
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%p %"));
    m_progress->setMinimumWidth(220);
    m_progress->setAccessibleName(tr("Run progress"));
    addWidget(m_state);
    addWidget(m_progress);
    addWidget(m_totals, 1);
    showState(run::Dispatcher::State::Idle);
}

QString RunStatusBar::stateName(run::Dispatcher::State state)
{
    switch (state) {
    case run::Dispatcher::State::Idle: return tr("Idle");
    case run::Dispatcher::State::Running: return tr("Running");
    case run::Dispatcher::State::Paused: return tr("Paused");
    case run::Dispatcher::State::Draining: return tr("Draining");
    case run::Dispatcher::State::Finished: return tr("Finished");
    }
    return {};
}

QString RunStatusBar::etaText(double seconds)
{
    if (seconds < 0)
        return tr("unknown");
    if (seconds < 60)
        return tr("%1 s").arg(qint64(seconds));
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(qint64(seconds) / 60).arg(qint64(seconds) % 60);
    return tr("%1 h %2 min").arg(qint64(seconds) / 3600).arg((qint64(seconds) % 3600) / 60);
}

QString RunStatusBar::totalsText() const
{
    return m_totals->text();
}

void RunStatusBar::showState(run::Dispatcher::State state)
{
    m_state->setText(stateName(state));
}

void RunStatusBar::showStarted()
{
    m_progress->setValue(0);
}

void RunStatusBar::showProgress(const run::RunProgress &p)
{
    const qint64 settled = p.rowsDone + p.rowsFailed;
    const qint64 totalRows = p.totalRows >= 0 ? p.totalRows : m_preflightRows;
    double fraction = p.fileFraction;
    if (totalRows > 0)
        fraction = double(settled) / double(totalRows);
    else if (p.rowsRead > 0)
        fraction = p.fileFraction * double(settled) / double(p.rowsRead);
    m_progress->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    const QString total = totalRows >= 0 ? QString::number(totalRows) : tr("?");
    m_totals->setText(tr("%1 / %2 rows · %3 rows/s · ETA %4 · %5 429s · %6 retries · %7 failed")
                          .arg(settled)
                          .arg(total)
                          .arg(p.rowsPerS, 0, 'f', 1)
                          .arg(etaText(p.etaS()))
                          .arg(p.responses429)
                          .arg(p.retries)
                          .arg(p.rowsFailed));
}

void RunStatusBar::showFinished(const run::RunSummary &summary)
{
    if (summary.ending == run::RunSummary::Ending::Completed)
        m_progress->setValue(m_progress->maximum());
    showState(run::Dispatcher::State::Finished);
    m_totals->setText(tr("%1: %2 of %3 rows done, %4 failed, %5 not attempted · %11 · %6 requests · %7 429s · "
                         "%8 retries · %9 s · %10 rows/s")
                          .arg(run::RunSummary::endingName(summary.ending))
                          .arg(summary.rowsDone)
                          .arg(summary.rowsTotal)
                          .arg(summary.rowsFailed)
                          .arg(summary.rowsNotAttempted)
                          .arg(summary.requests)
                          .arg(summary.responses429)
                          .arg(summary.retries)
                          .arg(summary.elapsedS, 0, 'f', 1)
                          .arg(summary.rowsPerS(), 0, 'f', 1)
                          .arg(summary.outcomeText()));
    if (summary.ending == run::RunSummary::Ending::Failed)
        showMessage(summary.error, 15000);
    else if (summary.ending == run::RunSummary::Ending::GaveUp)
        showMessage(tr("Gave up: %1. Resume the run from the Runs panel.").arg(summary.stopped), 15000);
}

} // namespace headroom::ui
