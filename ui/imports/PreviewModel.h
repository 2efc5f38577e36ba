#pragma once

#include <QAbstractTableModel>
#include <QByteArrayList>
#include <QStringList>

namespace headroom::ui {

// The first rows of an import file as a table, read with the same streaming
// readers a run uses (so what the operator sees is what will be sent). JSON
// records show one column per key of the first records.
class PreviewModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    // Reads up to `maxRows` records; false with `error` when the file cannot be read.
    bool load(const QString &path, int maxRows, QString *error);
    void clear();

    QStringList columns() const { return m_columns; }
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QStringList m_columns;
    QList<QStringList> m_rows;
    QList<qint64> m_lines;
};

} // namespace headroom::ui
