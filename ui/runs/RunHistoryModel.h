#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>

namespace headroom::ui {

// The runs under a directory, newest first, from each run directory's
// run.json (its manifest: settings and, for a re-drive, the dead-letter file it
// came from) and summary.json (how it ended). A run with no summary.json was
// killed or interrupted; one that ended cancelled, drained or failed stopped
// early. Either can be resumed: the journal knows which rows are finished.
class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Started,
                  Profile,
                  File,
                  Ending,
                  Rows,
                  Failed,
                  Requests,
                  Throttled,
                  Elapsed,
                  RowsPerS,
                  ColumnCount };
    struct Entry
    {
        QString directory;
        QString name;
        QJsonObject manifest; // run.json as written
        QJsonObject settings; // its settings
        QJsonObject summary;  // empty: interrupted
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setDirectory(const QString &directory);
    QString directory() const { return m_directory; }
    void reload();

    const Entry &entry(int row) const { return m_entries.at(row); }
    bool isInterrupted(int row) const { return m_entries.at(row).summary.isEmpty() && !isActive(row); }
    // The run directories this console is running now (its own run and the
    // transfer list's): shown as running, not interrupted, and not resumable
    // a second time.
    void setActiveDirectories(const QStringList &directories);
    bool isActive(int row) const;
    // Whether a resume has rows left to send: the run did not complete.
    bool isResumable(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString m_directory;
    QList<Entry> m_entries;
    QStringList m_active; // clean absolute paths
};

} // namespace headroom::ui
