#include "ui/imports/PreviewModel.h"

#include "core/imports/RecordReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace headroom::ui {

namespace {

QString jsonText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: return value.toString();
    case QJsonValue::Double: return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Array: return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object: return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined: break;
    }
    return {};
}

} // namespace

bool PreviewModel::load(const QString &path, int maxRows, QString *error)
{
    beginResetModel();
    m_columns.clear();
    m_rows.clear();
    m_lines.clear();
    auto reader = imports::RecordReader::openFile(path, imports::InputFormat::Auto);
    bool ok = reader != nullptr;
    if (!reader && error)
        *error = tr("Cannot open %1.").arg(path);
    imports::Record record;
    imports::RowProblem problem;
    QList<QStringList> jsonRows;
    QList<QJsonObject> objects;
    while (reader && m_rows.size() + objects.size() < maxRows) {
        const auto result = reader->next(record, problem);
        if (result == imports::RecordReader::Result::End)
            break;
        if (result == imports::RecordReader::Result::Fatal) {
            ok = false;
            if (error)
                *error = reader->fatal().toText();
            break;
        }
        if (result == imports::RecordReader::Result::Problem)
            continue; // preflight lists bad rows with their line numbers
        if (record.isJson) {
            objects.append(record.object);
            for (auto it = record.object.begin(); it != record.object.end(); ++it) {
                if (!m_columns.contains(it.key()))
                    m_columns.append(it.key());
            }
        } else {
            if (m_columns.isEmpty()) {
                for (const QByteArray &column : reader->columns())
                    m_columns.append(QString::fromUtf8(column));
            }
            QStringList row;
            for (int i = 0; i < record.fieldCount(); ++i)
                row.append(QString::fromUtf8(record.field(i)));
            m_rows.append(row);
        }
        m_lines.append(record.line);
    }
    for (const QJsonObject &object : std::as_const(objects)) {
        QStringList row;
        for (const QString &column : std::as_const(m_columns))
            row.append(jsonText(object.value(column)));
        m_rows.append(row);
    }
    endResetModel();
    return ok;
}

void PreviewModel::clear()
{
    beginResetModel();
    m_columns.clear();
    m_rows.clear();
    m_lines.clear();
    endResetModel();
}

int PreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant PreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    return m_rows.value(index.row()).value(index.column());
}

QVariant PreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (orientation == Qt::Horizontal)
        return m_columns.value(section);
    return tr("line %1").arg(m_lines.value(section));
}

} // namespace headroom::ui
