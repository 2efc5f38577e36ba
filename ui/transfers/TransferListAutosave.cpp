#include "ui/transfers/TransferListAutosave.h"

#include <QDir>
#include <QStandardPaths>

#include "core/transfers/TransferList.h"
#include "ui/UiLogging.h"

namespace headroom::ui {

QString TransferListAutosave::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("transfers.json"));
}

TransferListAutosave::TransferListAutosave(transfers::TransferList *list, QObject *parent)
    : QObject(parent)
    , m_list(list)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(200);
    connect(&m_timer, &QTimer::timeout, this, &TransferListAutosave::save);
    for (auto signal : {&transfers::TransferList::added, &transfers::TransferList::removed,
                        &transfers::TransferList::transferChanged})
        connect(list, signal, &m_timer, qOverload<>(&QTimer::start));
    connect(list, &transfers::TransferList::moved, &m_timer, qOverload<>(&QTimer::start));
}

bool TransferListAutosave::load(const QString &path, QString *error, QStringList *warnings)
{
    m_path = path;
    const std::optional<transfers::TransferListFile::Contents> contents =
        transfers::TransferListFile::load(path, error, warnings);
    if (!contents)
        return false;
    m_list->restore(*contents);
    return true;
}

void TransferListAutosave::save() const
{
    if (m_path.isEmpty())
        return;
    QString error;
    if (!transfers::TransferListFile::save(m_path, m_list->contents(), &error))
        qCWarning(lcUi) << "cannot keep the transfer list:" << error;
}

} // namespace headroom::ui
