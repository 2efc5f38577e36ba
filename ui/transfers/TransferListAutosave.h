#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace headroom::transfers {
class TransferList;
}

namespace headroom::ui {

// Keeps the transfer list in its file: reads it back once, then writes it
// whenever the list changes (coalesced: progress changes it ten times a
// second), so neither a restart nor a crash loses it.
class TransferListAutosave : public QObject
{
    Q_OBJECT
public:
    explicit TransferListAutosave(transfers::TransferList *list, QObject *parent = nullptr);

    // Reads `path` into the list (nothing starts) and keeps it there from now
    // on. False with `error` when the file cannot be read; warnings name
    // entries it skipped.
    bool load(const QString &path, QString *error, QStringList *warnings);
    // <AppDataLocation>/transfers.json.
    static QString defaultPath();
    // Writes the list now (nothing before load()).
    void save() const;

private:
    transfers::TransferList *m_list;
    QString m_path;
    QTimer m_timer;
};

} // namespace headroom::ui
