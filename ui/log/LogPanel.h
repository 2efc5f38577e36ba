#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLayout;
class QPushButton;
class QSpinBox;
class QTableView;

namespace headroom::ui {

class DeadLetterModel;
class RunLogFilter;
class RunLogModel;

// The Log panel: a line counting the run's rows by outcome (delivered,
// rejected by class, ambiguous), the run log in a virtualised table (fixed
// row heights, only visible rows asked for), filters by status, lane and data
// row, CSV/JSONL export, and the dead letters — the current run's, or those
// of any run's dead-letters.jsonl opened here — with a re-drive button.
class LogPanel : public QWidget
{
    Q_OBJECT
public:
    LogPanel(RunLogModel *log, DeadLetterModel *deadLetters, QWidget *parent = nullptr);

    RunLogFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }
    // The rows-by-outcome line above the log.
    QLabel *outcomeLabel() const { return m_outcomes; }
    bool exportTo(const QString &path, QString *error);
    void setRedriveEnabled(bool enabled);
    // Shows another run's log and dead letters (the import selected in the
    // transfer list); an opened dead-letter file stays until "current run".
    void setModels(RunLogModel *log, DeadLetterModel *deadLetters);
    RunLogModel *logModel() const { return m_log; }
    DeadLetterModel *deadLetterModel() const { return m_deadLetters; }

    // Lists the dead letters of a dead-letters.jsonl (of any run) instead of
    // the current run's; re-drive then sends that file again.
    bool openDeadLetters(const QString &path, QString *error = nullptr);
    // Back to the current run's dead letters.
    void showCurrentRunDeadLetters();
    QString deadLetterFile() const { return m_deadFile; } // empty: the current run's
    QTableView *deadLetterView() const { return m_deadView; }

public slots:
    // Asks for a dead-letter file, starting in the runs directory.
    void chooseDeadLetterFile();

signals:
    void redriveRequested();
    // Re-drive the dead letters of `path` through the lane of `profile`, as
    // `headroom-cli run --file path` does.
    void redriveFileRequested(const QString &path, const QString &profile);

private:
    // The constructor's steps.
    QLayout *buildFilters();
    QWidget *buildTables();
    QWidget *buildDeadLetters();
    void connectSignals();
    void connectModels();

    void chooseExport();
    void refreshLanes();
    void updateCounts();
    void updateOutcomes();
    void updateDeadLetterSource();

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
    QLabel *m_outcomes;
    QPushButton *m_export;
    QPushButton *m_redrive;
    DeadLetterModel *m_fileLetters; // of the opened dead-letter file
    QLabel *m_deadSource;
    QPushButton *m_openDead;
    QPushButton *m_showRun;
    QString m_deadFile;
    QString m_deadProfile;
    qint64 m_deadSendable = 0;
    bool m_redriveAllowed = false;
};

} // namespace headroom::ui
