#pragma once

#include <QWidget>

class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace headroom::ui {

class RunHistoryModel;

// The Runs panel: past runs with their summaries, the selected run's files,
// and Resume for one that did not complete (killed, cancelled, drained, failed;
// started here or by headroom-cli).
class RunsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPanel(RunHistoryModel *history, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QPushButton *resumeButton() const { return m_resume; }
    // While a run is active nothing else may be resumed.
    void setRunActive(bool active);

signals:
    void openRunDirectoryRequested(const QString &directory);
    void resumeRequested(const QString &directory);

private:
    void showSelected();

    RunHistoryModel *m_history;
    QTableView *m_view;
    QPlainTextEdit *m_details;
    QPushButton *m_refresh;
    QPushButton *m_open;
    QPushButton *m_resume;
    bool m_runActive = false;
};

} // namespace headroom::ui
