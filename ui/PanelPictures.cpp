#include "ui/PanelPictures.h"

#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/live/LiveChartsPanel.h"
#include "ui/transfers/TransferListPanel.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QTimer>
#include <QMenu>
#include <QMenuBar>
#include <QPixmap>

namespace headroom::ui {

namespace {

// Lets the window lay out and paint what just changed (a raised tab takes
// more than one turn of the event loop).
void settle()
{
    QEventLoop loop;
    QTimer::singleShot(150, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

QStringList PanelPictures::save(MainWindow &window, const QString &directory)
{
    QStringList written;
    if (!QDir().mkpath(directory))
        return written;
    auto save = [&](QWidget *widget, const QString &name) {
        const QString path = QDir(directory).filePath(name + QStringLiteral(".png"));
        if (widget->grab().save(path, "PNG"))
            written << path;
    };
    save(&window, QStringLiteral("window"));
    save(window.livePanel(), QStringLiteral("live"));
    save(window.transferPanel(), QStringLiteral("transfers"));
    for (QDockWidget *dock : window.findChildren<QDockWidget *>()) {
        // A tabbed-away dock's panel keeps whatever size it last had (its
        // minimum, if it was never in front): raised, it takes its tab's size
        // once the window has laid it out.
        dock->raise();
        settle();
        save(dock->widget(), dock->objectName().remove(QStringLiteral("Dock")));
    }
    // The window again with the APIs dock in front: its title bar and tab.
    if (QDockWidget *apis = window.dock(QStringLiteral("apisDock"))) {
        apis->raise();
        settle();
        save(&window, QStringLiteral("window-apis"));
    }
    // The View menu open: the docks' names as the menu reads them.
    for (QAction *action : window.menuBar()->actions()) {
        QMenu *menu = action->menu();
        if (!menu || action->text() != MainWindow::tr("&View"))
            continue;
        menu->popup(window.mapToGlobal(window.menuBar()->actionGeometry(action).bottomLeft()));
        QCoreApplication::processEvents();
        save(menu, QStringLiteral("view-menu"));
        menu->hide();
    }
    // Below the APIs panel's scroll fold: the profile's rate scopes.
    save(window.apiPanel()->scopesBox(), QStringLiteral("apis-scopes"));
    return written;
}

} // namespace headroom::ui
