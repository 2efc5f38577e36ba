#include "ui/log/DeadLetterModel.h"

#include <algorithm>

namespace headroom::ui {

namespace {

QString joinNumbers(const QList<qint64> &numbers)
{
    QStringList parts;
    for (qsizetype i = 0; i < numbers.size() && i < 8; ++i)
        parts << QString::number(numbers.at(i));
    if (numbers.size() > 8)
        parts << QStringLiteral("…");
    return parts.join(QStringLiteral(", "));
}

} // namespace

int DeadLetterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_failed.size());
}

int DeadLetterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeadLetterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Lane: return tr("Lane");
    case Rows: return tr("Rows");
    case Lines: return tr("Lines");
    case Attempts: return tr("Attempts");
    case LastStatus: return tr("Last status");
    case Reason: return tr("Reason");
    case ColumnCount: break;
    }
    return {};
}

QVariant DeadLetterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || role != Qt::DisplayRole || index.row() >= m_failed.size())
        return {};
    const run::FailedRows &f = m_failed.at(index.row());
    switch (Column(index.column())) {
    case Lane: return f.lane;
    case Rows: return joinNumbers(f.rows);
    case Lines: return joinNumbers(f.lines);
    case Attempts: return f.attempts;
    case LastStatus: return f.lastStatus ? QVariant(f.lastStatus) : QVariant();
    case Reason: return f.reason;
    case ColumnCount: break;
    }
    return {};
}

void DeadLetterModel::append(const QList<run::FailedRows> &failed)
{
    if (failed.isEmpty())
        return;
    beginInsertRows({}, int(m_failed.size()), int(m_failed.size() + failed.size()) - 1);
    m_failed.append(failed);
    endInsertRows();
}

void DeadLetterModel::clear()
{
    beginResetModel();
    m_failed.clear();
    endResetModel();
}

QList<qint64> DeadLetterModel::dataRows() const
{
    QList<qint64> rows;
    for (const run::FailedRows &f : m_failed)
        rows += f.rows;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

} // namespace headroom::ui
