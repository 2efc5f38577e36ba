#pragma once

#include "core/imports/PreflightReport.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace headroom::ui {

// Shows a preflight report: counts, the estimated duration with and without
// batching at the chosen rate, and the bad rows by line number; selecting a
// bad row shows its raw bytes.
class PreflightView : public QWidget
{
    Q_OBJECT
public:
    explicit PreflightView(QWidget *parent = nullptr);

    void setReport(const imports::PreflightReport &report);
    void setBusy(const QString &message);
    void clear();

    QListWidget *problemList() const { return m_problems; }
    QString summaryText() const;
    QString rawText() const;

private:
    void showRaw(int index);

    imports::PreflightReport m_report;
    QLabel *m_summary;
    QLabel *m_estimate;
    QListWidget *m_problems;
    QPlainTextEdit *m_raw;
};

} // namespace headroom::ui
