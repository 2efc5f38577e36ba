#pragma once

#include "core/run/RunObserver.h"

#include <QAbstractTableModel>

namespace headroom::ui {

// Rows that ended in a dead letter, with the reason and the last response:
// the current run's (the set a re-drive sends again) or those read back from
// a run's dead-letters.jsonl.
class DeadLetterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Lane,
                  Rows,
                  Lines,
                  Attempts,
                  LastStatus,
                  Reason,
                  ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QList<run::FailedRows> &failed);
    void clear();
    // Every failed data row, sorted, without repeats.
    QList<qint64> dataRows() const;
    const run::FailedRows &failedAt(int row) const { return m_failed.at(row); }

private:
    QList<run::FailedRows> m_failed;
};

} // namespace headroom::ui
