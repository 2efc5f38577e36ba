#include "ui/runs/RunsPanel.h"

#include "ui/runs/RunHistoryModel.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace headroom::ui {

RunsPanel::RunsPanel(RunHistoryModel *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_view(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_refresh(new QPushButton(tr("Re&fresh"), this))
    , m_open(new QPushButton(tr("Open &folder"), this))
    , m_resume(new QPushButton(tr("Res&ume"), this))
{
    m_view->setModel(history);
    m_view->setAccessibleName(tr("Run history"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    // Headers are the widest text in a fresh history: never clip them.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_details->setReadOnly(true);
    m_details->setAccessibleName(tr("Run details"));
    m_open->setEnabled(false);
    m_resume->setEnabled(false);
    m_resume->setToolTip(tr("Continue the selected run where it stopped: finished rows are skipped, "
                            "rows that were in flight are sent again."));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_open);
    buttons->addWidget(m_resume);
    buttons->addStretch(1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);

    connect(m_refresh, &QPushButton::clicked, m_history, &RunHistoryModel::reload);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RunsPanel::showSelected);
    connect(m_history, &QAbstractItemModel::modelReset, this, &RunsPanel::showSelected);
    connect(m_history, &QAbstractItemModel::dataChanged, this, &RunsPanel::showSelected);
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            QDesktopServices::openUrl(QUrl::fromLocalFile(m_history->entry(current.row()).directory));
    });
    connect(m_resume, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid() && !m_history->isActive(current.row()) && m_history->isResumable(current.row()))
            emit resumeRequested(m_history->entry(current.row()).directory);
    });
}

void RunsPanel::setRunActive(bool active)
{
    m_runActive = active;
    showSelected();
}

void RunsPanel::showSelected()
{
    const QModelIndex current = m_view->currentIndex();
    const bool valid = current.isValid() && current.row() < m_history->rowCount();
    m_open->setEnabled(valid);
    m_resume->setEnabled(valid && !m_runActive && !m_history->isActive(current.row())
                         && m_history->isResumable(current.row()));
    if (!valid) {
        m_details->setPlainText(tr("Select a run to see its settings and summary."));
        return;
    }
    const RunHistoryModel::Entry &e = m_history->entry(current.row());
    QString text = tr("Run directory: %1\n\nSettings (run.json):\n%2\n")
                       .arg(e.directory, QString::fromUtf8(QJsonDocument(e.settings).toJson(QJsonDocument::Indented)));
    text += m_history->isActive(current.row()) ? tr("Running in this console.")
            : e.summary.isEmpty()
                ? tr("No summary.json: the run was interrupted. Resume continues it.")
                : tr("Summary (summary.json):\n%1").arg(QString::fromUtf8(QJsonDocument(e.summary).toJson(QJsonDocument::Indented)));
    m_details->setPlainText(text);
}

} // namespace headroom::ui
