#pragma once

#include <QWidget>

class QSpinBox;
class QTableView;
class QToolButton;

namespace headroom::transfers {
class TransferList;
}

namespace headroom::ui {

class TransferListModel;

// The transfer list as the operator sees it: the imports in queue order with
// their state and progress (dragged to reorder the queue), buttons for the
// selected import (start or resume, pause, cancel, remove, up, down) and for
// all, how many run at once, and "All" for the charts of every run at once.
// It forwards each intent to the TransferList.
class TransferListPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TransferListPanel(transfers::TransferList *list, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    TransferListModel *model() const { return m_model; }
    QSpinBox *maxActiveBox() const { return m_maxActive; }
    // What the charts follow besides one import: every run at once.
    static constexpr int kAllRows = -2;

    QToolButton *allButton() const { return m_all; }
    // The selected import's row; -1 for none, kAllRows while "All" is on.
    int currentRow() const;
    // Turns "All" on (clearing the selection) or off.
    void showAll(bool all);

signals:
    // The selection moved to another import, to none (-1) or to "All" (kAllRows).
    void currentChanged(int row);
    // The operator asks to add files (the Add button).
    void addRequested();

private:
    QToolButton *button(const QString &text, const QString &tip);
    void updateButtons();

    transfers::TransferList *m_list;
    TransferListModel *m_model;
    QTableView *m_view;
    QSpinBox *m_maxActive;
    QToolButton *m_all;
    QList<QToolButton *> m_selectionButtons;
};

} // namespace headroom::ui
