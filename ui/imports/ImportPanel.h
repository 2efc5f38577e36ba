#pragma once

#include "core/imports/Mapping.h"
#include "core/imports/PreflightReport.h"

#include <QFutureWatcher>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;
class QTableWidget;

namespace headroom::ui {

class PreflightView;
class PreviewModel;

// The Import panel: pick (or drop) a file, see its first rows, map columns to
// an operation, and preflight it off the GUI thread. It forwards intents and
// shows models; reading and checking are core's (RecordReader, Preflight).
class ImportPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ImportPanel(QWidget *parent = nullptr);
    ~ImportPanel() override;

    bool loadFile(const QString &path);
    QString file() const { return m_file; }

    // What the run will be configured with, for preflight's estimate.
    void setRunContext(const QString &profile, double rate, double windowSeconds);

    // The mapping the controls describe; empty when they are the defaults.
    std::optional<imports::Mapping> mapping() const;
    void setMapping(const std::optional<imports::Mapping> &mapping);

    // "Send only changed rows": the run's --changed-only.
    bool changedOnly() const;
    void setChangedOnly(bool on);
    QCheckBox *changedOnlyBox() const { return m_changedOnly; }

    void runPreflight();
    bool isPreflightRunning() const { return m_watcher.isRunning(); }
    const imports::PreflightReport &lastReport() const { return m_report; }

    PreviewModel *preview() const { return m_preview; }
    PreflightView *preflightView() const { return m_preflightView; }

signals:
    void fileChanged(const QString &path);
    void mappingChanged();
    void preflightFinished(const headroom::imports::PreflightReport &report);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void chooseFile();
    void fillMappingControls();

    QString m_file;
    QString m_profile = QStringLiteral("customerio-track");
    double m_rate = 100;
    double m_windowSeconds = 1;
    QLineEdit *m_path;
    QPushButton *m_open;
    QTableView *m_previewView;
    PreviewModel *m_preview;
    QComboBox *m_operation;
    QComboBox *m_idColumn;
    QComboBox *m_eventColumn;
    QTableWidget *m_types;
    QCheckBox *m_changedOnly;
    QPushButton *m_preflightButton;
    PreflightView *m_preflightView;
    QFutureWatcher<imports::PreflightReport> m_watcher;
    imports::PreflightReport m_report;
};

} // namespace headroom::ui
