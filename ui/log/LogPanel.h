#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace headroom::ui {

class DeadLetterModel;
class RunLogFilter;
class RunLogModel;

// The Log panel: the run log in a virtualised table (fixed row heights, only
// visible rows asked for), filters by status, lane and data row, CSV/JSONL
// export, and the dead letters with a re-drive button.
class LogPanel : public QWidget
{
    Q_OBJECT
public:
    LogPanel(RunLogModel *log, DeadLetterModel *deadLetters, QWidget *parent = nullptr);

    RunLogFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }
    bool exportTo(const QString &path, QString *error);
    void setRedriveEnabled(bool enabled);

signals:
    void redriveRequested();

private:
    void chooseExport();
    void refreshLanes();
    void updateCounts();

    RunLogModel *m_log;
    DeadLetterModel *m_deadLetters;
    RunLogFilter *m_filter;
    QComboBox *m_status;
    QComboBox *m_lane;
    QSpinBox *m_row;
    QCheckBox *m_follow;
    QTableView *m_view;
    QTableView *m_deadView;
    QLabel *m_count;
    QPushButton *m_export;
    QPushButton *m_redrive;
};

} // namespace headroom::ui
