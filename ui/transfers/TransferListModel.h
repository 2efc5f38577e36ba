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

private:
    transfers::TransferList *m_list;
};

} // namespace headroom::ui
