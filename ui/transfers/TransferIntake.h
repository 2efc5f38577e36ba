#pragma once

#include <QObject>
#include <QStringList>

class QMimeData;

namespace headroom::transfers {
class TransferList;
}

namespace headroom::ui {

class ApiSettingsPanel;
class ImportPanel;

// How files become imports in the transfer list: each with the APIs panel's
// profile and target at the time, and the Import panel's mapping and
// preflight count when it is the file that panel shows (otherwise the
// import is preflighted before it starts). Files come from the Add dialog,
// from the command line, or dropped onto the window.
class TransferIntake : public QObject
{
    Q_OBJECT
public:
    TransferIntake(transfers::TransferList *list, ApiSettingsPanel *apis, ImportPanel *import,
                   QObject *parent = nullptr);

    void add(const QStringList &paths);
    // Local files only: a drag that holds anything else is refused whole.
    static bool acceptsDrop(const QMimeData *data);
    static QStringList filesIn(const QMimeData *data);

private:
    transfers::TransferList *m_list;
    ApiSettingsPanel *m_apis;
    ImportPanel *m_import;
};

} // namespace headroom::ui
