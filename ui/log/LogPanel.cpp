#include "ui/log/LogPanel.h"

#include "ui/log/DeadLetterModel.h"
#include "ui/log/RunLogExport.h"
#include "ui/log/RunLogFilter.h"
#include "ui/log/RunLogModel.h"

#include "core/run/DeadLetterRequests.h"
#include "core/run/RunDirectory.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <limits>

namespace headroom::ui {

namespace {

void makeVirtual(QTableView *view)
{
    // Fixed row heights: the view never measures rows it does not show.
    const int height = view->fontMetrics().height() + 6;
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(height);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setWordWrap(false);
}

} // namespace

LogPanel::LogPanel(RunLogModel *log, DeadLetterModel *deadLetters, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_deadLetters(deadLetters)
    , m_filter(new RunLogFilter(log, this))
    , m_status(new QComboBox(this))
    , m_lane(new QComboBox(this))
    , m_row(new QSpinBox(this))
    , m_follow(new QCheckBox(tr("&Follow"), this))
    , m_view(new QTableView(this))
    , m_deadView(new QTableView(this))
    , m_count(new QLabel(this))
    , m_outcomes(new QLabel(this))
    , m_export(new QPushButton(tr("E&xport…"), this))
    , m_redrive(new QPushButton(tr("&Re-drive dead letters"), this))
    , m_fileLetters(new DeadLetterModel(this))
    , m_deadSource(new QLabel(this))
    , m_openDead(new QPushButton(tr("&Open dead-letter file…"), this))
    , m_showRun(new QPushButton(tr("&Current run's"), this))
{
    QLayout *filters = buildFilters();
    QWidget *split = buildTables();
    m_outcomes->setAccessibleName(tr("Rows by outcome"));
    m_outcomes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcomes->setToolTip(tr("Delivered: the server accepted the row. Rejected: it did not act, for the reason "
                              "class shown. Ambiguous: it may have acted (no whole answer came back), so the row "
                              "was not sent again where the API cannot drop a copy."));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_outcomes);
    layout->addLayout(filters);
    layout->addWidget(split, 1);
    connectSignals();
    updateCounts();
    updateOutcomes();
    updateDeadLetterSource();
}

// The row above the tables: status, lane and data-row filters, Follow, the
// counts and Export.
QLayout *LogPanel::buildFilters()
{
    using C = RunLogFilter::StatusClass;
    m_status->addItem(tr("All statuses"), int(C::All));
    m_status->addItem(tr("2xx"), int(C::Success));
    m_status->addItem(tr("429"), int(C::Throttled));
    m_status->addItem(tr("Other 4xx"), int(C::ClientError));
    m_status->addItem(tr("5xx"), int(C::ServerError));
    m_status->addItem(tr("No response"), int(C::NoResponse));
    m_status->setAccessibleName(tr("Status filter"));
    m_lane->addItem(tr("All lanes"), QString());
    m_lane->setAccessibleName(tr("Lane filter"));
    // A lane's name carries its workspace or key: the closed box need not fit it whole.
    m_lane->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_lane->setMinimumContentsLength(14);
    m_row->setRange(0, std::numeric_limits<int>::max());
    m_row->setSpecialValueText(tr("any row"));
    m_row->setPrefix(tr("row "));
    m_row->setAccessibleName(tr("Data row filter"));
    m_follow->setChecked(true);

    // The counts on a line of their own, so the panel fits beside the
    // transfer list at the window's default width.
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_status);
    filters->addWidget(m_lane);
    filters->addWidget(m_row);
    filters->addWidget(m_follow);
    filters->addStretch(1);
    filters->addWidget(m_export);
    auto *rows = new QVBoxLayout;
    rows->addLayout(filters);
    rows->addWidget(m_count);
    return rows;
}

// The dead letters: their table, and beside it re-drive, open a file, back to
// the current run's, and which letters these are.
QWidget *LogPanel::buildDeadLetters()
{
    m_deadView->setModel(m_deadLetters);
    m_deadView->setAccessibleName(tr("Dead letters"));
    makeVirtual(m_deadView);
    m_redrive->setEnabled(false);
    m_openDead->setToolTip(tr("List the dead letters of any run (its dead-letters.jsonl) and re-drive them"));
    m_showRun->setToolTip(tr("Show the current run's dead letters again"));
    m_deadSource->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_deadSource->setWordWrap(true);

    auto *deadBox = new QGroupBox(tr("Dead letters"), this);
    // Buttons beside the table, not under it: the Log dock is short, and a
    // row of buttons would take the log's last visible rows.
    auto *deadLayout = new QHBoxLayout(deadBox);
    deadLayout->addWidget(m_deadView, 1);
    auto *deadButtons = new QVBoxLayout;
    deadButtons->addWidget(m_redrive);
    deadButtons->addWidget(m_openDead);
    deadButtons->addWidget(m_showRun);
    deadButtons->addWidget(m_deadSource);
    deadButtons->addStretch(1);
    deadLayout->addLayout(deadButtons);
    m_deadSource->setMaximumWidth(m_openDead->sizeHint().width() * 2);
    return deadBox;
}

// The run log over the dead letters, in a vertical splitter.
QWidget *LogPanel::buildTables()
{
    m_view->setModel(m_filter);
    m_view->setAccessibleName(tr("Run log"));
    makeVirtual(m_view);
    QWidget *deadBox = buildDeadLetters();

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(deadBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    // Weights, not pixels: the log keeps most of a short dock (the tables'
    // size hints alone would give the dead letters as much as the log).
    split->setSizes({300, 100});
    m_deadView->setMinimumHeight(3 * m_deadView->verticalHeader()->defaultSectionSize());
    return split;
}

void LogPanel::connectSignals()
{
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setStatusClass(RunLogFilter::StatusClass(m_status->currentData().toInt()));
        updateCounts();
    });
    connect(m_lane, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setLane(m_lane->currentData().toString());
        updateCounts();
    });
    connect(m_row, &QSpinBox::valueChanged, this, [this](int row) {
        m_filter->setDataRow(row);
        updateCounts();
    });
    connectModels();
    connect(m_export, &QPushButton::clicked, this, &LogPanel::chooseExport);
    connect(m_redrive, &QPushButton::clicked, this, [this] {
        if (m_deadFile.isEmpty())
            emit redriveRequested();
        else
            emit redriveFileRequested(m_deadFile, m_deadProfile);
    });
    connect(m_openDead, &QPushButton::clicked, this, &LogPanel::chooseDeadLetterFile);
    connect(m_showRun, &QPushButton::clicked, this, &LogPanel::showCurrentRunDeadLetters);
}

void LogPanel::connectModels()
{
    connect(m_log, &QAbstractItemModel::rowsInserted, this, [this] {
        refreshLanes();
        updateCounts();
        if (m_follow->isChecked())
            m_view->scrollToBottom();
    });
    connect(m_log, &QAbstractItemModel::modelReset, this, [this] {
        refreshLanes();
        updateCounts();
    });
    connect(m_log, &RunLogModel::outcomesChanged, this, &LogPanel::updateOutcomes);
    connect(m_deadLetters, &QAbstractItemModel::rowsInserted, this, &LogPanel::updateCounts);
    connect(m_deadLetters, &QAbstractItemModel::modelReset, this, [this] {
        // A new run (a re-drive of the opened file too): show what it dead-letters.
        showCurrentRunDeadLetters();
        updateCounts();
    });
}

void LogPanel::setModels(RunLogModel *log, DeadLetterModel *deadLetters)
{
    if (log == m_log && deadLetters == m_deadLetters)
        return;
    disconnect(m_log, nullptr, this, nullptr);
    disconnect(m_deadLetters, nullptr, this, nullptr);
    m_log = log;
    m_deadLetters = deadLetters;
    m_filter->setLog(m_log);
    connectModels();
    if (m_deadFile.isEmpty())
        m_deadView->setModel(m_deadLetters);
    refreshLanes();
    updateCounts();
    updateOutcomes();
}

void LogPanel::chooseDeadLetterFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open the dead letters of a run"),
                                                      run::RunDirectory::defaultRoot(),
                                                      tr("Dead letters (dead-letters.jsonl *.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openDeadLetters(path, &error))
        QMessageBox::warning(this, tr("Cannot open the dead letters"), error);
}

bool LogPanel::openDeadLetters(const QString &path, QString *error)
{
    QString why;
    const auto listing = run::DeadLetterRequests::list(path, &why);
    if (!listing) {
        if (error)
            *error = why;
        return false;
    }
    m_fileLetters->clear();
    m_fileLetters->append(listing->letters);
    m_deadFile = path;
    m_deadProfile = listing->profile;
    m_deadSendable = listing->total - listing->unsendable;
    m_deadView->setModel(m_fileLetters);
    m_deadSource->setText(
        tr("%1 · %2 dead letters of %3%4")
            .arg(QFileInfo(path).dir().dirName(), QString::number(listing->total),
                 listing->profile.isEmpty() ? tr("an unknown profile") : listing->profile,
                 listing->unsendable ? tr(" · %n rejected before sending (not re-driven)", nullptr, int(listing->unsendable))
                                     : QString()));
    m_deadSource->setToolTip(QDir::toNativeSeparators(path));
    if (listing->letters.size() < listing->total)
        m_deadSource->setText(m_deadSource->text() + tr(" · the first %1 listed").arg(listing->letters.size()));
    updateDeadLetterSource();
    return true;
}

void LogPanel::showCurrentRunDeadLetters()
{
    if (m_deadFile.isEmpty())
        return;
    m_deadFile.clear();
    m_deadProfile.clear();
    m_deadSendable = 0;
    m_fileLetters->clear();
    m_deadView->setModel(m_deadLetters);
    updateDeadLetterSource();
}

void LogPanel::updateDeadLetterSource()
{
    const bool file = !m_deadFile.isEmpty();
    m_showRun->setVisible(file);
    if (!file) {
        m_deadSource->setText(tr("This run's dead letters"));
        m_deadSource->setToolTip({});
    }
    m_redrive->setText(file ? tr("&Re-drive this file") : tr("&Re-drive dead letters"));
    m_redrive->setEnabled(m_redriveAllowed && (file ? m_deadSendable > 0 : m_deadLetters->rowCount() > 0));
}

void LogPanel::refreshLanes()
{
    const QStringList lanes = m_log->lanes();
    if (lanes.size() == m_lane->count() - 1)
        return;
    const QString current = m_lane->currentData().toString();
    const QSignalBlocker block(m_lane);
    while (m_lane->count() > 1)
        m_lane->removeItem(1);
    for (const QString &lane : lanes)
        m_lane->addItem(lane, lane);
    m_lane->setCurrentIndex(std::max(0, m_lane->findData(current)));
}

void LogPanel::updateCounts()
{
    m_count->setText(tr("%1 of %2 attempts, %3 dead letters")
                         .arg(m_filter->rowCount())
                         .arg(m_log->rowCount())
                         .arg(m_deadLetters->rowCount()));
}

void LogPanel::updateOutcomes()
{
    const run::OutcomeCounts &counts = m_log->outcomes();
    QString text = tr("Rows: %1").arg(counts.text());
    if (counts.attemptsAmbiguous > 0)
        text += tr(" · ambiguous attempts: %1").arg(counts.attemptsAmbiguous);
    m_outcomes->setText(text);
}

void LogPanel::setRedriveEnabled(bool enabled)
{
    m_redriveAllowed = enabled;
    updateDeadLetterSource();
}

bool LogPanel::exportTo(const QString &path, QString *error)
{
    const auto format = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? RunLogExport::Format::Csv
                                                                                  : RunLogExport::Format::JsonLines;
    return RunLogExport::write(*m_log, m_filter, path, format, error);
}

void LogPanel::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the run log"), QStringLiteral("requests.csv"),
                                                      tr("CSV (*.csv);;JSON Lines (*.jsonl)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export failed"), tr("Cannot write %1: %2").arg(path, error));
}

} // namespace headroom::ui
