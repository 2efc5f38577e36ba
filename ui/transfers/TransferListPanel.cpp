#include "ui/transfers/TransferListPanel.h"

#include "core/transfers/TransferList.h"
#include "ui/transfers/TransferListModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
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
    , m_all(new QToolButton(this))
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
    m_view->setDragEnabled(true);
    m_view->setAcceptDrops(true);
    m_view->setDropIndicatorShown(true);
    m_view->setDragDropMode(QAbstractItemView::DragDrop); // its own rows only (the model's MIME type); files dropped go on to the window
    m_view->setDefaultDropAction(Qt::MoveAction);
    m_view->setDragDropOverwriteMode(false);

    auto *bar = new QHBoxLayout;
    m_all->setText(tr("All"));
    m_all->setCheckable(true);
    m_all->setToolTip(tr("Charts of every run at once, summed per rate-limit scope"));
    connect(m_all, &QToolButton::toggled, this, [this](bool all) {
        // Bold while on: some themes draw a checked tool button like any other.
        QFont font = m_all->font();
        font.setBold(all);
        m_all->setFont(font);
        if (all) {
            m_view->clearSelection();
            m_view->selectionModel()->clearCurrentIndex();
        }
        updateButtons();
        emit currentChanged(currentRow());
    });
    bar->addWidget(m_all);
    bar->addSpacing(12);
    QToolButton *add = button(tr("Add…"), tr("Add import files to the list"));
    connect(add, &QToolButton::clicked, this, &TransferListPanel::addRequested);
    bar->addWidget(add);
    QToolButton *start = button(tr("Start"), tr("Start or resume the selected import"));
    QToolButton *pause = button(tr("Pause"), tr("Pause the selected import"));
    QToolButton *cancel = button(tr("Cancel"), tr("Cancel the selected import; what it did not send stays for a resume"));
    QToolButton *remove = button(tr("Remove"), tr("Remove the selected import from the list (its run directory stays)"));
    // Arrows, as the list also reorders by drag and drop.
    QToolButton *up = button(tr("Up"), tr("Move the selected import up the queue (or drag it)"));
    QToolButton *down = button(tr("Down"), tr("Move the selected import down the queue (or drag it)"));
    for (QToolButton *arrow : {up, down}) {
        arrow->setAccessibleName(arrow->text());
        arrow->setIcon(style()->standardIcon(arrow == up ? QStyle::SP_ArrowUp : QStyle::SP_ArrowDown));
        arrow->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }
    m_selectionButtons = {start, pause, cancel, remove, up, down};
    for (QToolButton *b : std::as_const(m_selectionButtons))
        bar->addWidget(b);
    connect(start, &QToolButton::clicked, this, [this] { m_list->resume(currentRow()); });
    connect(pause, &QToolButton::clicked, this, [this] { m_list->pause(currentRow()); });
    connect(cancel, &QToolButton::clicked, this, [this] { m_list->cancel(currentRow()); });
    connect(remove, &QToolButton::clicked, this, [this] { m_list->remove(currentRow()); });
    auto moveBy = [this](int by) {
        const int row = currentRow();
        if (row >= 0)
            m_model->moveRow({}, row, {}, by > 0 ? row + by + 1 : row + by); // the selection moves with it
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

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (current.isValid() && m_all->isChecked()) {
            const QSignalBlocker quiet(m_all); // one currentChanged for the import chosen
            m_all->setChecked(false);
            QFont font = m_all->font();
            font.setBold(false);
            m_all->setFont(font);
        }
        if (m_all->isChecked())
            return; // "All" cleared the selection itself
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
    if (m_all->isChecked())
        return kAllRows;
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void TransferListPanel::showAll(bool all)
{
    m_all->setChecked(all);
}

void TransferListPanel::updateButtons()
{
    const bool selected = currentRow() >= 0;
    for (QToolButton *b : std::as_const(m_selectionButtons))
        b->setEnabled(selected);
}

} // namespace headroom::ui
