#include "ui/log/RunLogFilter.h"

#include "ui/log/RunLogModel.h"

namespace headroom::ui {

RunLogFilter::RunLogFilter(RunLogModel *log, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_log(log)
{
    setSourceModel(log);
}

bool RunLogFilter::matches(StatusClass statusClass, int status)
{
    switch (statusClass) {
    case StatusClass::All: return true;
    case StatusClass::Success: return status >= 200 && status < 300;
    case StatusClass::Throttled: return status == 429;
    case StatusClass::ClientError: return status >= 400 && status < 500 && status != 429;
    case StatusClass::ServerError: return status >= 500;
    case StatusClass::NoResponse: return status == 0;
    }
    return true;
}

void RunLogFilter::setLog(RunLogModel *log)
{
    m_log = log;
    setSourceModel(log);
}

void RunLogFilter::setStatusClass(StatusClass statusClass)
{
    m_status = statusClass;
    invalidateFilter();
}

void RunLogFilter::setLane(const QString &lane)
{
    m_lane = lane;
    invalidateFilter();
}

void RunLogFilter::setDataRow(qint64 row)
{
    m_row = row;
    invalidateFilter();
}

bool RunLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    Q_UNUSED(sourceParent);
    if (!matches(m_status, m_log->status(sourceRow)))
        return false;
    if (!m_lane.isEmpty() && m_log->lane(sourceRow) != m_lane)
        return false;
    return m_row <= 0 || m_log->coversRow(sourceRow, m_row);
}

} // namespace headroom::ui
