#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>

namespace headroom::ui {

// The runs under a directory, newest first, from each run directory's
// run.json (settings) and summary.json (how it ended). A run directory with
// no summary.json was interrupted: it is the one a resume picks up.
class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Started, Profile, File, Ending, Rows, Failed, Requests, Throttled, Elapsed, RowsPerS, ColumnCount };
    struct Entry
    {
        QString directory;
        QString name;
        QJsonObject settings;
        QJsonObject summary; // empty: interrupted
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setDirectory(const QString &directory);
    QString directory() const { return m_directory; }
    void reload();

    const Entry &entry(int row) const { return m_entries.at(row); }
    bool isInterrupted(int row) const { return m_entries.at(row).summary.isEmpty(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString m_directory;
    QList<Entry> m_entries;
};

} // namespace headroom::ui
