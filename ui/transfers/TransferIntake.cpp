#include "ui/transfers/TransferIntake.h"

#include "core/transfers/TransferList.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/imports/ImportPanel.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

#include <algorithm>

namespace headroom::ui {

TransferIntake::TransferIntake(transfers::TransferList *list, ApiSettingsPanel *apis, ImportPanel *import,
                               QObject *parent)
    : QObject(parent)
    , m_list(list)
    , m_apis(apis)
    , m_import(import)
{
}

void TransferIntake::add(const QStringList &paths)
{
    const run::RunSettings current = m_apis->settings();
    const imports::PreflightReport &report = m_import->lastReport();
    for (const QString &path : paths) {
        transfers::TransferEntry entry;
        entry.settings = current;
        entry.settings.file = QFileInfo(path).absoluteFilePath();
        if (entry.settings.file == QFileInfo(m_import->file()).absoluteFilePath()) {
            if (const std::optional<imports::Mapping> mapping = m_import->mapping())
                entry.mapping = mapping->toJson();
            if (report.file == m_import->file() && report.rows > 0) {
                entry.preflightRows = report.rows;
                entry.preflightBadRows = report.badRows;
            }
        }
        m_list->add(entry);
    }
}

bool TransferIntake::acceptsDrop(const QMimeData *data)
{
    const QList<QUrl> urls = data->urls();
    return !urls.isEmpty() && std::all_of(urls.begin(), urls.end(), [](const QUrl &url) { return url.isLocalFile(); });
}

QStringList TransferIntake::filesIn(const QMimeData *data)
{
    QStringList paths;
    for (const QUrl &url : data->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            paths << url.toLocalFile();
    }
    return paths;
}

} // namespace headroom::ui
