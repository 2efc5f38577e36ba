#pragma once

#include <QSortFilterProxyModel>

namespace headroom::ui {

class RunLogModel;

// Narrows the run log to one status class, one lane and/or one data row.
class RunLogFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StatusClass { All,
                             Success,
                             Throttled,
                             ClientError,
                             ServerError,
                             NoResponse };
    Q_ENUM(StatusClass)

    explicit RunLogFilter(RunLogModel *log, QObject *parent = nullptr);

    // Filters another run's log.
    void setLog(RunLogModel *log);
    void setStatusClass(StatusClass statusClass);
    void setLane(const QString &lane); // empty: every lane
    void setDataRow(qint64 row);       // <= 0: every row

    static bool matches(StatusClass statusClass, int status);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    RunLogModel *m_log;
    StatusClass m_status = StatusClass::All;
    QString m_lane;
    qint64 m_row = 0;
};

} // namespace headroom::ui
