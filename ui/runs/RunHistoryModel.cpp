#include "ui/runs/RunHistoryModel.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace headroom::ui {

namespace {

QJsonObject readObject(const QString &path)
{
    // run.json and summary.json are a few KiB; a larger file is not one of
    // them, and read(cap) would allocate the cap whatever the file holds.
    constexpr qint64 kMaxBytes = 4 << 20;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxBytes)
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

void RunHistoryModel::setDirectory(const QString &directory)
{
    m_directory = directory;
    reload();
}

void RunHistoryModel::setActiveDirectories(const QStringList &directories)
{
    QStringList active;
    for (const QString &directory : directories)
        active << QDir::cleanPath(QFileInfo(directory).absoluteFilePath());
    active.sort();
    if (active == m_active)
        return;
    m_active = active;
    if (!m_entries.isEmpty())
        emit dataChanged(index(0, Ending), index(rowCount() - 1, Ending));
}

bool RunHistoryModel::isActive(int row) const
{
    return m_active.contains(QDir::cleanPath(QFileInfo(m_entries.at(row).directory).absoluteFilePath()));
}

void RunHistoryModel::reload()
{
    beginResetModel();
    m_entries.clear();
    const QDir dir(m_directory);
    const QStringList names = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed);
    for (const QString &name : names) {
        Entry e;
        e.directory = dir.filePath(name);
        e.name = name;
        e.manifest = readObject(QDir(e.directory).filePath(QStringLiteral("run.json")));
        if (e.manifest.isEmpty())
            continue; // not a run directory
        // run.json nests the settings; the console's first runs wrote them bare.
        e.settings = e.manifest.contains(QLatin1String("settings")) ? e.manifest.value(QLatin1String("settings")).toObject()
                                                                    : e.manifest;
        e.summary = readObject(QDir(e.directory).filePath(QStringLiteral("summary.json")));
        m_entries.append(e);
    }
    endResetModel();
}

bool RunHistoryModel::isResumable(int row) const
{
    const QJsonObject &summary = m_entries.at(row).summary;
    return summary.isEmpty() || summary.value(QLatin1String("ending")).toString() != QLatin1String("completed");
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Started: return tr("Started (UTC)");
    case Profile: return tr("Profile");
    case File: return tr("File");
    case Ending: return tr("Ending");
    case Rows: return tr("Rows done / total");
    case Failed: return tr("Failed");
    case Requests: return tr("Requests");
    case Throttled: return tr("429s");
    case Elapsed: return tr("Elapsed (s)");
    case RowsPerS: return tr("Rows/s");
    case ColumnCount: break;
    }
    return {};
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry &e = m_entries.at(index.row());
    if (role == Qt::ToolTipRole)
        return QDir::toNativeSeparators(e.directory);
    if (role != Qt::DisplayRole)
        return {};
    const QJsonObject &s = e.summary;
    auto number = [&s](const char *key) { return s.isEmpty() ? QVariant() : QVariant(s.value(QLatin1String(key)).toInteger()); };
    switch (Column(index.column())) {
    case Started: {
        // RunDirectory::newId: the UTC second, then a random hex suffix.
        const QDateTime t = QDateTime::fromString(e.name.left(15), QStringLiteral("yyyyMMdd-HHmmss"));
        return t.isValid() ? t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : e.name;
    }
    case Profile: return e.settings.value(QLatin1String("profile")).toString();
    case File: {
        // A re-drive names the dead-letter file it came from, not the request file made of it.
        const QString original = e.manifest.value(QLatin1String("original_file")).toString();
        return QFileInfo(original.isEmpty() ? e.settings.value(QLatin1String("file")).toString() : original).fileName();
    }
    case Ending:
        if (isActive(index.row()))
            return tr("running");
        return s.isEmpty() ? tr("interrupted") : s.value(QLatin1String("ending")).toString();
    case Rows:
        return s.isEmpty() ? QVariant()
                           : QVariant(QStringLiteral("%1 / %2")
                                          .arg(s.value(QLatin1String("rows_done")).toInteger())
                                          .arg(s.value(QLatin1String("rows_total")).toInteger()));
    case Failed: return number("rows_failed");
    case Requests: return number("requests");
    case Throttled: return number("responses_429");
    case Elapsed:
        return s.isEmpty() ? QVariant() : QVariant(QString::number(s.value(QLatin1String("elapsed_s")).toDouble(), 'f', 1));
    case RowsPerS:
        return s.isEmpty() ? QVariant() : QVariant(QString::number(s.value(QLatin1String("rows_per_s")).toDouble(), 'f', 1));
    case ColumnCount: break;
    }
    return {};
}

} // namespace headroom::ui
