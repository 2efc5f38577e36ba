#include "ui/log/RunLogModel.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace headroom::ui {

quint16 RunLogModel::Interned::intern(const QString &value)
{
    const auto it = index.constFind(value);
    if (it != index.constEnd())
        return *it;
    if (values.size() >= 0xffff)
        return 0; // pathological input: fold the rest into the first value rather than grow
    const auto id = quint16(values.size());
    values.append(value);
    index.insert(value, id);
    return id;
}

RunLogModel::RunLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int RunLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int RunLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time: return tr("Time");
    case Lane: return tr("Lane");
    case Operation: return tr("Operation");
    case Request: return tr("Request");
    case Rows: return tr("Rows");
    case Attempt: return tr("Attempt");
    case Status: return tr("Status");
    case LatencyMs: return tr("Latency (ms)");
    case Remaining: return tr("Remaining");
    case Limit: return tr("Limit");
    case Decision: return tr("Decision");
    case Outcome: return tr("Outcome");
    case DelayMs: return tr("Delay (ms)");
    case Reason: return tr("Reason");
    case ColumnCount: break;
    }
    return {};
}

QVariant RunLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_count)
        return {};
    const Entry &e = entry(index.row());
    switch (role) {
    case StatusRole: return int(e.status);
    case LaneRole: return m_lanes.values.value(e.lane);
    case FirstRowRole: return e.firstRow;
    case RowCountRole: return e.rowCount;
    case Qt::TextAlignmentRole:
        if (index.column() == Rows || index.column() == Attempt || index.column() == Status || index.column() == LatencyMs
            || index.column() == Remaining || index.column() == Limit || index.column() == DelayMs)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Status && (e.status == 429 || e.status >= 500 || e.status == 0))
            return QGuiApplication::palette().color(QPalette::Link); // readable in light and dark palettes
        return {};
    case Qt::DisplayRole: break;
    default: return {};
    }
    switch (Column(index.column())) {
    case Time: return QDateTime::fromMSecsSinceEpoch(e.wallMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Lane: return m_lanes.values.value(e.lane);
    case Operation: return m_operations.values.value(e.operation);
    case Request: return m_methods.values.value(e.method) + QLatin1Char(' ') + e.path;
    case Rows:
        return e.rowCount <= 1 ? QString::number(e.firstRow)
                               : QStringLiteral("%1–%2").arg(e.firstRow).arg(e.firstRow + e.rowCount - 1);
    case Attempt: return int(e.attempt);
    case Status: return e.status ? QVariant(int(e.status)) : QVariant(tr("error"));
    case LatencyMs: return QString::number(double(e.latencyMs), 'f', 1);
    case Remaining: return e.remaining >= 0 ? QVariant(e.remaining) : QVariant();
    case Limit: return e.limit >= 0 ? QVariant(e.limit) : QVariant();
    case Decision: return m_decisions.values.value(e.decision);
    case Outcome: return m_outcomeNames.values.value(e.outcome);
    case DelayMs: return e.delayMs > 0 ? QVariant(QString::number(double(e.delayMs), 'f', 0)) : QVariant();
    case Reason: return e.error.isEmpty() ? e.reason : e.error;
    case ColumnCount: break;
    }
    return {};
}

void RunLogModel::append(const QList<run::AttemptRecord> &records)
{
    if (records.isEmpty())
        return;
    beginInsertRows({}, m_count, m_count + int(records.size()) - 1);
    for (const run::AttemptRecord &r : records) {
        if (m_count % kChunk == 0) {
            m_chunks.push_back(std::make_unique<std::vector<Entry>>());
            m_chunks.back()->reserve(kChunk);
        }
        Entry e;
        e.wallMs = r.wallMs;
        e.firstRow = r.firstRow;
        e.remaining = r.remaining;
        e.limit = r.limit;
        e.latencyMs = float(r.latencyMs);
        e.delayMs = float(r.delayMs);
        e.resetInS = float(r.resetInS);
        e.retryAfterS = float(r.retryAfterS);
        e.rowCount = r.rowCount;
        e.attempt = quint16(r.attempt);
        e.status = qint16(r.status);
        e.lane = m_lanes.intern(r.lane);
        e.operation = m_operations.intern(r.operation);
        e.method = m_methods.intern(QString::fromLatin1(r.method));
        e.decision = m_decisions.intern(r.decision);
        e.outcome = m_outcomeNames.intern(r.outcome);
        e.path = r.path;
        e.error = r.error;
        e.reason = r.reason;
        m_chunks.back()->push_back(std::move(e));
        ++m_count;
    }
    endInsertRows();
}

void RunLogModel::clear()
{
    beginResetModel();
    m_chunks.clear();
    m_count = 0;
    endResetModel();
    setOutcomes({});
}

void RunLogModel::setOutcomes(const run::OutcomeCounts &outcomes)
{
    if (outcomes == m_outcomes)
        return;
    m_outcomes = outcomes;
    emit outcomesChanged();
}

run::AttemptRecord RunLogModel::record(int row) const
{
    const Entry &e = entry(row);
    run::AttemptRecord r;
    r.wallMs = e.wallMs;
    r.lane = m_lanes.values.value(e.lane);
    r.operation = m_operations.values.value(e.operation);
    r.method = m_methods.values.value(e.method).toLatin1();
    r.path = e.path;
    r.firstRow = e.firstRow;
    r.rowCount = e.rowCount;
    r.attempt = e.attempt;
    r.status = e.status;
    r.error = e.error;
    r.latencyMs = double(e.latencyMs);
    r.remaining = e.remaining;
    r.limit = e.limit;
    r.resetInS = double(e.resetInS);
    r.retryAfterS = double(e.retryAfterS);
    r.decision = m_decisions.values.value(e.decision);
    r.outcome = m_outcomeNames.values.value(e.outcome);
    r.delayMs = double(e.delayMs);
    r.reason = e.reason;
    return r;
}

int RunLogModel::status(int row) const
{
    return entry(row).status;
}

QString RunLogModel::lane(int row) const
{
    return m_lanes.values.value(entry(row).lane);
}

bool RunLogModel::coversRow(int row, qint64 dataRow) const
{
    const Entry &e = entry(row);
    return dataRow >= e.firstRow && dataRow < e.firstRow + std::max(1, e.rowCount);
}

} // namespace headroom::ui
