#include "ui/RunActions.h"

#include <QAction>
#include <QMainWindow>
#include <QStyle>
#include <QToolBar>

namespace headroom::ui {

RunActions::RunActions(QMainWindow *window)
    : QObject(window)
    , m_start(new QAction(window->style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), window))
    , m_pause(new QAction(window->style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), window))
    , m_resume(new QAction(window->style()->standardIcon(QStyle::SP_MediaSeekForward), tr("&Resume"), window))
    , m_cancel(new QAction(window->style()->standardIcon(QStyle::SP_MediaStop), tr("&Cancel"), window))
    , m_exportCharts(new QAction(tr("Export &charts as PNG…"), window))
{
    m_start->setShortcut(Qt::Key_F5);
    m_start->setToolTip(tr("Start the import (F5)"));
    m_pause->setShortcut(Qt::Key_F6);
    m_pause->setToolTip(tr("Stop sending; requests in flight finish (F6)"));
    m_resume->setShortcut(Qt::Key_F7);
    m_resume->setToolTip(tr("Resume sending (F7)"));
    m_cancel->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_cancel->setToolTip(tr("Abort the run; rows not sent stay for a resume (Shift+F5)"));
    m_exportCharts->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));

    QToolBar *toolbar = window->addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("runToolbar")); // saveState() keys it by object name
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions(runActions());
    toolbar->addSeparator();
    toolbar->addAction(m_exportCharts);
}

void RunActions::update(bool running, bool starting, run::Dispatcher::State state, bool hasFile)
{
    m_start->setEnabled(!running && !starting && hasFile);
    m_pause->setEnabled(running && state == run::Dispatcher::State::Running);
    m_resume->setEnabled(running && state == run::Dispatcher::State::Paused);
    m_cancel->setEnabled(running || starting);
}

} // namespace headroom::ui
