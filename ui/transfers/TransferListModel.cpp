#include "ui/transfers/TransferListModel.h"

#include "core/run/RunController.h"
#include "core/transfers/TransferList.h"

#include <QFileInfo>
#include <QMimeData>

#include <algorithm>

namespace headroom::ui {

using transfers::TransferState;

namespace {

QString etaText(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("—");
    if (seconds < 60)
        return TransferListModel::tr("%1 s").arg(qint64(seconds));
    if (seconds < 3600)
        return TransferListModel::tr("%1 min %2 s").arg(qint64(seconds) / 60).arg(qint64(seconds) % 60);
    return TransferListModel::tr("%1 h %2 min").arg(qint64(seconds) / 3600).arg((qint64(seconds) % 3600) / 60);
}

// Settled rows over what preflight counted, or the run's own count once it read the whole file.
double fractionOf(const transfers::Transfer &t)
{
    if (t.state() == TransferState::Done)
        return 1.0;
    const run::RunProgress p = t.controller()->lastProgress();
    const qint64 total = p.totalRows >= 0 ? p.totalRows : t.entry().preflightRows;
    if (total <= 0)
        return p.fileFraction;
    return std::clamp(double(p.rowsDone + p.rowsFailed) / double(total), 0.0, 1.0);
}

} // namespace

TransferListModel::TransferListModel(transfers::TransferList *list, QObject *parent)
    : QAbstractTableModel(parent)
    , m_list(list)
{
    connect(list, &transfers::TransferList::added, this, [this](int index) {
        beginInsertRows({}, index, index);
        endInsertRows();
    });
    connect(list, &transfers::TransferList::aboutToRemove, this, [this](int index) { beginRemoveRows({}, index, index); });
    connect(list, &transfers::TransferList::removed, this, [this] { endRemoveRows(); });
    connect(list, &transfers::TransferList::moved, this, [this] {
        if (m_moving)
            return;
        beginResetModel();
        endResetModel();
    });
    connect(list, &transfers::TransferList::transferChanged, this,
            [this](int index) { emit dataChanged(this->index(index, 0), this->index(index, ColumnCount - 1)); });
}

int TransferListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_list->count();
}

int TransferListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TransferListModel::stateText(int state)
{
    switch (TransferState(state)) {
    case TransferState::Queued: return tr("Queued");
    case TransferState::Preflighting: return tr("Preflighting");
    case TransferState::Running: return tr("Running");
    case TransferState::Paused: return tr("Paused");
    case TransferState::Done: return tr("Done");
    case TransferState::Failed: return tr("Failed");
    case TransferState::Cancelled: return tr("Cancelled");
    case TransferState::Stopped: return tr("Stopped");
    }
    return {};
}

QVariant TransferListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_list->count())
        return {};
    const transfers::Transfer &t = *m_list->at(index.row());
    const transfers::TransferEntry &e = t.entry();
    const run::RunProgress p = t.controller()->lastProgress();
    const bool hasRun = t.controller()->isRunning() || p.requests > 0;
    if (role == FractionRole && index.column() == Progress)
        return fractionOf(t);
    if (role == Qt::ToolTipRole) {
        if (!e.message.isEmpty())
            return e.message;
        return e.runDirectory.isEmpty() ? e.settings.file : e.runDirectory;
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Progress)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Name: return QFileInfo(e.settings.file).fileName();
    case Profile: return e.settings.profile;
    case Target:
        if (e.settings.sandbox)
            return tr("sandbox");
        return e.settings.baseUrl.isEmpty() ? (e.settings.region.isEmpty() ? tr("default") : e.settings.region)
                                            : e.settings.baseUrl.host();
    case Preflight:
        if (e.preflightRows < 0)
            return QStringLiteral("—");
        return e.preflightBadRows > 0 ? tr("%1 rows, %2 bad").arg(e.preflightRows).arg(e.preflightBadRows)
                                      : tr("%1 rows").arg(e.preflightRows);
    case State: return stateText(int(t.state()));
    case Progress: return tr("%1 %").arg(fractionOf(t) * 100, 0, 'f', 1);
    case RowsPerS: return hasRun ? QString::number(p.rowsPerS, 'f', 1) : QString();
    case Throttled: return hasRun ? QString::number(p.responses429) : QString();
    case Retries: return hasRun ? QString::number(p.retries) : QString();
    case Eta:
        return t.state() == TransferState::Running ? etaText(p.etaS()) : QString();
    case ColumnCount: break;
    }
    return {};
}

namespace {

const QString kRowMime = QStringLiteral("application/x-headroom-transfer-row");

} // namespace

Qt::ItemFlags TransferListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled; // below the last row: to the end
    return QAbstractTableModel::flags(index) | Qt::ItemIsDragEnabled | Qt::ItemIsDropEnabled;
}

Qt::DropActions TransferListModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList TransferListModel::mimeTypes() const
{
    return {kRowMime};
}

QMimeData *TransferListModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(kRowMime, QByteArray::number(indexes.first().row()));
    return data;
}

int TransferListModel::draggedRow(const QMimeData *data)
{
    if (!data || !data->hasFormat(kRowMime))
        return -1;
    bool ok = false;
    const int row = data->data(kRowMime).toInt(&ok);
    return ok ? row : -1;
}

bool TransferListModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int, const QModelIndex &) const
{
    const int row = draggedRow(data);
    return action == Qt::MoveAction && row >= 0 && row < rowCount();
}

bool TransferListModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                     const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    // Dropped between rows: `row`; onto a row: before it; elsewhere: the end.
    const int before = row >= 0 ? row : (parent.isValid() ? parent.row() : rowCount());
    moveRows({}, draggedRow(data), 1, {}, before);
    // Nothing for the view to remove afterwards: the row has moved.
    return true;
}

bool TransferListModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                                 const QModelIndex &destinationParent, int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1 || sourceRow < 0
        || sourceRow >= rowCount() || destinationChild < 0 || destinationChild > rowCount()
        || destinationChild == sourceRow || destinationChild == sourceRow + 1)
        return false;
    const int to = destinationChild > sourceRow ? destinationChild - 1 : destinationChild;
    beginMoveRows({}, sourceRow, sourceRow, {}, destinationChild);
    m_moving = true;
    m_list->move(sourceRow, to);
    m_moving = false;
    endMoveRows();
    return true;
}

QVariant TransferListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name: return tr("File");
    case Profile: return tr("Profile");
    case Target: return tr("Target");
    case Preflight: return tr("Preflight");
    case State: return tr("State");
    case Progress: return tr("Progress");
    case RowsPerS: return tr("Rows/s");
    case Throttled: return tr("429s");
    case Retries: return tr("Retries");
    case Eta: return tr("ETA");
    case ColumnCount: break;
    }
    return {};
}

} // namespace headroom::ui
