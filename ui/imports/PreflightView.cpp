#include "ui/imports/PreflightView.h"

#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace headroom::ui {

PreflightView::PreflightView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_estimate(new QLabel(this))
    , m_problems(new QListWidget(this))
    , m_raw(new QPlainTextEdit(this))
{
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_estimate->setWordWrap(true);
    m_estimate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setAccessibleName(tr("Bad rows"));
    m_problems->setToolTip(tr("Bad rows by line number; select one to see its raw line."));
    m_raw->setReadOnly(true);
    m_raw->setAccessibleName(tr("Raw line"));
    m_raw->setPlaceholderText(tr("Select a bad row to see its raw line."));
    m_raw->setMaximumBlockCount(200);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_problems);
    split->addWidget(m_raw);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_estimate);
    layout->addWidget(split, 1);

    connect(m_problems, &QListWidget::currentRowChanged, this, &PreflightView::showRaw);
    clear();
}

void PreflightView::clear()
{
    m_report = {};
    m_summary->setText(tr("Preflight has not run yet."));
    m_estimate->clear();
    m_problems->clear();
    m_raw->clear();
}

void PreflightView::setBusy(const QString &message)
{
    m_summary->setText(message);
    m_estimate->clear();
}

void PreflightView::setReport(const imports::PreflightReport &report)
{
    m_report = report;
    m_problems->clear();
    m_raw->clear();
    const QLocale locale;
    if (report.fatal) {
        m_summary->setText(tr("The file cannot be imported: %1").arg(report.fatal->toText()));
        m_estimate->clear();
        return;
    }
    m_summary->setText(tr("%1 rows: %2 good, %3 bad (%4 break an API rule), %5 duplicate ids.")
                           .arg(locale.toString(report.rows), locale.toString(report.goodRows),
                                locale.toString(report.badRows), locale.toString(report.rejectedRows),
                                locale.toString(report.duplicateIds)));
    QString estimate = tr("At %1 requests per %2 s: %3 requests, %4 without batching")
                           .arg(report.rate)
                           .arg(report.windowSeconds)
                           .arg(locale.toString(report.requestsUnbatched),
                                imports::PreflightReport::formatDuration(report.secondsFor(report.requestsUnbatched)));
    if (report.batchEndpoint.isEmpty())
        estimate += tr("; this API has no batch endpoint.");
    else
        estimate += tr("; %1 requests, %2 with batching (%3).")
                        .arg(locale.toString(report.requestsBatched),
                             imports::PreflightReport::formatDuration(report.secondsFor(report.requestsBatched)),
                             report.batchEndpoint);
    m_estimate->setText(estimate);
    for (const imports::RowProblem &problem : report.problems) {
        auto *item = new QListWidgetItem(tr("line %1: %2").arg(problem.line).arg(problem.message), m_problems);
        item->setData(Qt::UserRole, problem.line);
    }
    if (report.badRows > report.problems.size())
        m_problems->addItem(tr("… and %1 more").arg(report.badRows - report.problems.size()));
}

void PreflightView::showRaw(int index)
{
    if (index < 0 || index >= m_report.problems.size()) {
        m_raw->clear();
        return;
    }
    const imports::RowProblem &problem = m_report.problems.at(index);
    m_raw->setPlainText(tr("Line %1, row %2:\n%3").arg(problem.line).arg(problem.row).arg(QString::fromUtf8(problem.raw)));
}

QString PreflightView::summaryText() const
{
    return m_summary->text() + QLatin1Char('\n') + m_estimate->text();
}

QString PreflightView::rawText() const
{
    return m_raw->toPlainText();
}

} // namespace headroom::ui
