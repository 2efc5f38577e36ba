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
// their state and progress, buttons for the selected import (start or
// resume, pause, cancel, remove, up, down) and for all, and how many run at
// once. It forwards each intent to the TransferList.
class TransferListPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TransferListPanel(transfers::TransferList *list, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    TransferListModel *model() const { return m_model; }
    QSpinBox *maxActiveBox() const { return m_maxActive; }
    // The selected import's row; -1 for none ("All").
    int currentRow() const;

signals:
    // The selection moved to another import, or to none (-1).
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
    QList<QToolButton *> m_selectionButtons;
};

} // namespace headroom::ui
