#pragma once

#include <QAbstractTableModel>

namespace headroom::transfers {
class TransferList;
}

namespace headroom::ui {

// The transfer list as a table: one row per import, in queue order, showing
// its entry and its run's last progress (from its RunController).
class TransferListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name,
                  Profile,
                  Target,
                  Preflight,
                  State,
                  Progress,
                  RowsPerS,
                  Throttled,
                  Retries,
                  Eta,
                  ColumnCount };
    // The progress column's value as a fraction 0..1 under this role, for the delegate.
    static constexpr int FractionRole = Qt::UserRole + 1;

    explicit TransferListModel(transfers::TransferList *list, QObject *parent = nullptr);

    transfers::TransferList *list() const { return m_list; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString stateText(int state);

    // Queue order by drag and drop: an import dragged onto another row goes
    // before it, onto the empty space below the rows to the end.
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;
    // One import at a time; `destinationChild` counts rows before the move.
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count, const QModelIndex &destinationParent,
                  int destinationChild) override;

private:
    static int draggedRow(const QMimeData *data);

    transfers::TransferList *m_list;
    bool m_moving = false; // a move of ours: rows are moved, not reset
};

} // namespace headroom::ui
