#pragma once

#include <QStringList>

namespace headroom::ui {

class MainWindow;

// Pictures of the console for people without a display (scripts/screenshots.sh):
// the whole window (and again with the APIs dock in front), the View menu
// open, the transfer list, the charts, every dock's panel (a tabbed-away one raised first) and
// the APIs panel's scope table below its scroll fold, one PNG each.
class PanelPictures
{
public:
    // The files written into `directory`.
    static QStringList save(MainWindow &window, const QString &directory);
};

} // namespace headroom::ui
