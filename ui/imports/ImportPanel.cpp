#include "ui/imports/ImportPanel.h"

#include "ui/imports/PreflightView.h"
#include "ui/imports/PreviewModel.h"
#include "core/imports/Preflight.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace headroom::ui {

namespace {

constexpr int kPreviewRows = 50;

const QList<imports::Operation> &operations()
{
    using O = imports::Operation;
    static const QList<O> all{O::Auto, O::Identify, O::Track, O::AnonymousTrack, O::Suppress,
                              O::Delete, O::TransactionalEmail, O::BroadcastTrigger, O::Request};
    return all;
}

const QList<imports::ColumnType> &columnTypes()
{
    using T = imports::ColumnType;
    static const QList<T> all{T::String, T::Number, T::Boolean, T::Timestamp, T::Ignore};
    return all;
}

} // namespace

ImportPanel::ImportPanel(QWidget *parent)
    : QWidget(parent)
    , m_path(new QLineEdit(this))
    , m_open(new QPushButton(tr("&Open…"), this))
    , m_previewView(new QTableView(this))
    , m_preview(new PreviewModel(this))
    , m_operation(new QComboBox(this))
    , m_idColumn(new QComboBox(this))
    , m_eventColumn(new QComboBox(this))
    , m_types(new QTableWidget(0, 2, this))
    , m_changedOnly(new QCheckBox(tr("Send only &changed rows"), this))
    , m_preflightButton(new QPushButton(tr("&Preflight"), this))
    , m_preflightView(new PreflightView(this))
{
    setAcceptDrops(true);
    m_path->setPlaceholderText(tr("Open or drop a CSV, JSON Lines or request file"));
    m_path->setAccessibleName(tr("Import file"));
    connect(m_path, &QLineEdit::returnPressed, this, [this] { loadFile(m_path->text()); });
    connect(m_open, &QPushButton::clicked, this, &ImportPanel::chooseFile);

    m_previewView->setModel(m_preview);
    m_previewView->setAccessibleName(tr("Preview of the first rows"));
    m_previewView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_previewView->horizontalHeader()->setStretchLastSection(true);

    for (imports::Operation op : operations())
        m_operation->addItem(imports::Mapping::operationName(op), int(op));
    m_idColumn->setEditable(true);
    m_eventColumn->setEditable(true);
    m_types->setHorizontalHeaderLabels({tr("Column"), tr("Type")});
    m_types->horizontalHeader()->setStretchLastSection(true);
    m_types->verticalHeader()->hide();
    m_types->setAccessibleName(tr("Column types"));
    connect(m_operation, &QComboBox::currentIndexChanged, this, &ImportPanel::mappingChanged);
    connect(m_idColumn, &QComboBox::currentTextChanged, this, &ImportPanel::mappingChanged);
    connect(m_eventColumn, &QComboBox::currentTextChanged, this, &ImportPanel::mappingChanged);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_open);

    auto *mappingBox = new QGroupBox(tr("Mapping"), this);
    auto *form = new QFormLayout;
    form->addRow(tr("O&peration:"), m_operation);
    form->addRow(tr("&Id column:"), m_idColumn);
    form->addRow(tr("&Event column:"), m_eventColumn);
    m_changedOnly->setToolTip(tr("Leave out the rows this destination already accepted as they are now "
                                 "(headroom-cli run --changed-only)"));
    form->addRow(m_changedOnly);
    auto *mappingLayout = new QVBoxLayout(mappingBox);
    mappingLayout->addLayout(form);
    mappingLayout->addWidget(m_types, 1);

    auto *preflightBox = new QGroupBox(tr("Preflight"), this);
    auto *preflightLayout = new QVBoxLayout(preflightBox);
    preflightLayout->addWidget(m_preflightButton, 0, Qt::AlignLeft);
    preflightLayout->addWidget(m_preflightView, 1);
    connect(m_preflightButton, &QPushButton::clicked, this, &ImportPanel::runPreflight);

    auto *lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(mappingBox);
    lower->addWidget(preflightBox);
    lower->setStretchFactor(1, 2);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(m_previewView);
    vertical->addWidget(lower);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(fileRow);
    layout->addWidget(vertical, 1);

    connect(&m_watcher, &QFutureWatcher<imports::PreflightReport>::finished, this, [this] {
        m_report = m_watcher.result();
        m_preflightView->setReport(m_report);
        m_preflightButton->setEnabled(true);
        emit preflightFinished(m_report);
    });
}

ImportPanel::~ImportPanel()
{
    m_watcher.waitForFinished();
}

bool ImportPanel::loadFile(const QString &path)
{
    QString error;
    m_file = path;
    m_path->setText(QDir::toNativeSeparators(path));
    const bool ok = m_preview->load(path, kPreviewRows, &error);
    m_previewView->resizeColumnsToContents();
    fillMappingControls();
    m_report = {};
    if (ok)
        m_preflightView->clear();
    else
        m_preflightView->setBusy(tr("Cannot read the file: %1").arg(error));
    emit fileChanged(path);
    return ok;
}

void ImportPanel::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open import file"), QFileInfo(m_file).absolutePath(),
        tr("Import files (*.csv *.jsonl *.ndjson *.json);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

void ImportPanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().constFirst().isLocalFile())
        event->acceptProposedAction();
}

void ImportPanel::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.constFirst().isLocalFile()) {
        loadFile(urls.constFirst().toLocalFile());
        event->acceptProposedAction();
    }
}

void ImportPanel::fillMappingControls()
{
    const QStringList columns = m_preview->columns();
    const QSignalBlocker blockId(m_idColumn);
    const QSignalBlocker blockEvent(m_eventColumn);
    m_idColumn->clear();
    m_idColumn->addItems(columns);
    m_idColumn->setCurrentText(columns.contains(QStringLiteral("id")) ? QStringLiteral("id") : columns.value(0));
    m_eventColumn->clear();
    m_eventColumn->addItem(QStringLiteral("event"));
    for (const QString &column : columns) {
        if (column != QLatin1String("event"))
            m_eventColumn->addItem(column);
    }
    m_eventColumn->setCurrentText(QStringLiteral("event"));
    m_types->setRowCount(int(columns.size()));
    for (int i = 0; i < columns.size(); ++i) {
        auto *name = new QTableWidgetItem(columns.at(i));
        name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        m_types->setItem(i, 0, name);
        auto *type = new QComboBox(m_types);
        for (imports::ColumnType t : columnTypes())
            type->addItem(imports::Mapping::typeName(t), int(t));
        type->setAccessibleName(tr("Type of column %1").arg(columns.at(i)));
        connect(type, &QComboBox::currentIndexChanged, this, &ImportPanel::mappingChanged);
        m_types->setCellWidget(i, 1, type);
    }
}

std::optional<imports::Mapping> ImportPanel::mapping() const
{
    imports::Mapping mapping;
    bool changed = false;
    const auto op = imports::Operation(m_operation->currentData().toInt());
    if (op != mapping.operation) {
        mapping.operation = op;
        changed = true;
    }
    const QByteArray id = m_idColumn->currentText().toUtf8();
    if (!id.isEmpty() && id != mapping.idColumn) {
        mapping.idColumn = id;
        changed = true;
    }
    const QByteArray event = m_eventColumn->currentText().toUtf8();
    if (!event.isEmpty() && event != mapping.eventColumn) {
        mapping.eventColumn = event;
        changed = true;
    }
    for (int i = 0; i < m_types->rowCount(); ++i) {
        const auto *combo = qobject_cast<QComboBox *>(m_types->cellWidget(i, 1));
        if (!combo || !m_types->item(i, 0))
            continue;
        const auto type = imports::ColumnType(combo->currentData().toInt());
        if (type == imports::ColumnType::String)
            continue;
        imports::ColumnSpec spec;
        spec.type = type;
        mapping.columns.insert(m_types->item(i, 0)->text().toUtf8(), spec);
        changed = true;
    }
    if (!changed)
        return std::nullopt;
    return mapping;
}

void ImportPanel::setMapping(const std::optional<imports::Mapping> &mapping)
{
    const imports::Mapping m = mapping.value_or(imports::Mapping());
    m_operation->setCurrentIndex(std::max(0, m_operation->findData(int(m.operation))));
    m_idColumn->setCurrentText(QString::fromUtf8(m.idColumn));
    m_eventColumn->setCurrentText(QString::fromUtf8(m.eventColumn));
    for (int i = 0; i < m_types->rowCount(); ++i) {
        auto *combo = qobject_cast<QComboBox *>(m_types->cellWidget(i, 1));
        if (!combo || !m_types->item(i, 0))
            continue;
        const auto spec = m.columns.value(m_types->item(i, 0)->text().toUtf8());
        combo->setCurrentIndex(std::max(0, combo->findData(int(spec.type))));
    }
}

bool ImportPanel::changedOnly() const
{
    return m_changedOnly->isChecked();
}

void ImportPanel::setChangedOnly(bool on)
{
    m_changedOnly->setChecked(on);
}

void ImportPanel::setRunContext(const QString &profile, double rate, double windowSeconds)
{
    m_profile = profile;
    m_rate = rate;
    m_windowSeconds = windowSeconds;
}

void ImportPanel::runPreflight()
{
    if (m_file.isEmpty() || m_watcher.isRunning())
        return;
    imports::PreflightOptions options;
    options.source.filePath = m_file;
    options.source.profile = m_profile;
    options.source.mapping = mapping();
    options.rate = m_rate;
    options.windowSeconds = m_windowSeconds;
    m_preflightButton->setEnabled(false);
    m_preflightView->setBusy(tr("Reading %1…").arg(QFileInfo(m_file).fileName()));
    // A large file takes seconds to read: never on the GUI thread.
    m_watcher.setFuture(QtConcurrent::run([options] { return imports::Preflight::run(options); }));
}

} // namespace headroom::ui
