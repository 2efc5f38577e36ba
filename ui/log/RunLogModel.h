#pragma once

#include "core/run/OutcomeCounts.h"
#include "core/run/RunObserver.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>

#include <memory>
#include <vector>

namespace headroom::ui {

// The run log as a table: one row per attempt, appended in batches from the
// GUI's 10 Hz flush. Entries are compact (repeated strings interned) and kept
// in fixed-size chunks, so a million attempts cost ~100 MB and never a
// reallocation of the whole store; QTableView asks only for visible rows.
// Beside the attempts it holds the run's rows by outcome class, as the
// session hands them over on each flush and, at the end, from the summary.
class RunLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time,
                  Lane,
                  Operation,
                  Request,
                  Rows,
                  Attempt,
                  Status,
                  LatencyMs,
                  Remaining,
                  Limit,
                  Decision,
                  Outcome,
                  DelayMs,
                  Reason,
                  ColumnCount };
    enum Role { StatusRole = Qt::UserRole + 1,
                LaneRole,
                FirstRowRole,
                RowCountRole };

    explicit RunLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void append(const QList<run::AttemptRecord> &records);
    void clear();

    // Rows delivered, rejected by class and ambiguous so far.
    const run::OutcomeCounts &outcomes() const { return m_outcomes; }
    void setOutcomes(const run::OutcomeCounts &outcomes);

    // The attempt back in the run log's own shape, for exports.
    run::AttemptRecord record(int row) const;
    int status(int row) const;
    QString lane(int row) const;
    bool coversRow(int row, qint64 dataRow) const;
    QStringList lanes() const { return m_lanes.values; }

signals:
    void outcomesChanged();

private:
    struct Entry
    {
        qint64 wallMs = 0;
        qint64 firstRow = 0;
        qint64 remaining = -1;
        qint64 limit = -1;
        float latencyMs = 0;
        float delayMs = 0;
        float resetInS = -1;
        float retryAfterS = -1;
        int rowCount = 0;
        quint16 attempt = 0;
        qint16 status = 0;
        quint16 lane = 0;
        quint16 operation = 0;
        quint16 method = 0;
        quint16 decision = 0;
        quint16 outcome = 0;
        QString path;
        QString error;
        QString reason;
    };
    struct Interned
    {
        QStringList values;
        QHash<QString, quint16> index;
        quint16 intern(const QString &value);
    };
    static constexpr int kChunk = 1 << 14;

    const Entry &entry(int row) const { return (*m_chunks[size_t(row / kChunk)])[size_t(row % kChunk)]; }

    std::vector<std::unique_ptr<std::vector<Entry>>> m_chunks;
    int m_count = 0;
    Interned m_lanes;
    Interned m_operations;
    Interned m_methods;
    Interned m_decisions;
    Interned m_outcomeNames;
    run::OutcomeCounts m_outcomes;
};

} // namespace headroom::ui
