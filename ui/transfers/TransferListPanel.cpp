#include "ui/transfers/TransferListPanel.h"

#include "core/transfers/TransferList.h"
#include "ui/transfers/TransferListModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace headroom::ui {

TransferListPanel::TransferListPanel(transfers::TransferList *list, QWidget *parent)
    : QWidget(parent)
    , m_list(list)
    , m_model(new TransferListModel(list, this))
    , m_view(new QTableView(this))
    , m_maxActive(new QSpinBox(this))
{
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    // One line per import: the file name takes what is left, every other
    // column what its content needs (a profile name never wraps).
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(TransferListModel::Name, QHeaderView::Stretch);
    m_view->setAccessibleName(tr("Transfers"));

    auto *bar = new QHBoxLayout;
    QToolButton *add = button(tr("Add…"), tr("Add import files to the list"));
    connect(add, &QToolButton::clicked, this, &TransferListPanel::addRequested);
    bar->addWidget(add);
    QToolButton *start = button(tr("Start"), tr("Start or resume the selected import"));
    QToolButton *pause = button(tr("Pause"), tr("Pause the selected import"));
    QToolButton *cancel = button(tr("Cancel"), tr("Cancel the selected import; what it did not send stays for a resume"));
    QToolButton *remove = button(tr("Remove"), tr("Remove the selected import from the list (its run directory stays)"));
    QToolButton *up = button(tr("Up"), tr("Move the selected import up the queue"));
    QToolButton *down = button(tr("Down"), tr("Move the selected import down the queue"));
    m_selectionButtons = {start, pause, cancel, remove, up, down};
    for (QToolButton *b : std::as_const(m_selectionButtons))
        bar->addWidget(b);
    connect(start, &QToolButton::clicked, this, [this] { m_list->resume(currentRow()); });
    connect(pause, &QToolButton::clicked, this, [this] { m_list->pause(currentRow()); });
    connect(cancel, &QToolButton::clicked, this, [this] { m_list->cancel(currentRow()); });
    connect(remove, &QToolButton::clicked, this, [this] { m_list->remove(currentRow()); });
    auto moveBy = [this](int by) {
        const int row = currentRow();
        m_list->move(row, row + by);
        if (row + by >= 0 && row + by < m_list->count())
            m_view->selectRow(row + by);
    };
    connect(up, &QToolButton::clicked, this, [moveBy] { moveBy(-1); });
    connect(down, &QToolButton::clicked, this, [moveBy] { moveBy(1); });
    bar->addSpacing(12);
    QToolButton *pauseAll = button(tr("Pause all"), tr("Pause every running import"));
    QToolButton *resumeAll = button(tr("Resume all"), tr("Resume every paused, stopped or cancelled import"));
    QToolButton *cancelAll = button(tr("Cancel all"), tr("Cancel every import not finished"));
    connect(pauseAll, &QToolButton::clicked, list, &transfers::TransferList::pauseAll);
    connect(resumeAll, &QToolButton::clicked, list, &transfers::TransferList::resumeAll);
    connect(cancelAll, &QToolButton::clicked, list, &transfers::TransferList::cancelAll);
    bar->addWidget(pauseAll);
    bar->addWidget(resumeAll);
    bar->addWidget(cancelAll);
    bar->addStretch(1);
    auto *atOnce = new QLabel(tr("Run at once:"), this);
    m_maxActive->setRange(1, 16);
    m_maxActive->setValue(list->maxActive());
    m_maxActive->setAccessibleName(tr("Imports run at once"));
    atOnce->setBuddy(m_maxActive);
    connect(m_maxActive, &QSpinBox::valueChanged, list, &transfers::TransferList::setMaxActive);
    bar->addWidget(atOnce);
    bar->addWidget(m_maxActive);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateButtons();
        emit currentChanged(currentRow());
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TransferListPanel::updateButtons);
    updateButtons();
}

QToolButton *TransferListPanel::button(const QString &text, const QString &tip)
{
    auto *b = new QToolButton(this);
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(false);
    return b;
}

int TransferListPanel::currentRow() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void TransferListPanel::updateButtons()
{
    const bool selected = currentRow() >= 0;
    for (QToolButton *b : std::as_const(m_selectionButtons))
        b->setEnabled(selected);
}

} // namespace headroom::ui
