#pragma once

#include <QWidget>

class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace headroom::ui {

class RunHistoryModel;

// The Runs panel: past runs with their summaries, the selected run's files,
// and Resume for an interrupted one (disabled: the console writes no journal yet).
class RunsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPanel(RunHistoryModel *history, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }

signals:
    void openRunDirectoryRequested(const QString &directory);

private:
    void showSelected();

    RunHistoryModel *m_history;
    QTableView *m_view;
    QPlainTextEdit *m_details;
    QPushButton *m_refresh;
    QPushButton *m_open;
    QPushButton *m_resume;
};

} // namespace headroom::ui
