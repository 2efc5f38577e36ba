#pragma once

#include <QDockWidget>

namespace headroom::ui {

// A dock for one of the main window's panels, its title written once for
// every place Qt shows it. The tab of a tabbed dock and the View menu's
// entry read the title as mnemonic text ("&&" is an ampersand), while
// QDockWidget's own title bar draws it as written; this dock gives its title
// bar the text the tab and the menu show.
class PanelDock : public QDockWidget
{
    Q_OBJECT
public:
    // `title` as mnemonic text: "APIs && rates".
    PanelDock(const QString &title, QWidget *parent = nullptr);

    // What the title bar shows: the title with its mnemonic escapes resolved.
    QString titleBarText() const;
    static QString shownText(const QString &mnemonicText);

protected:
    void initStyleOption(QStyleOptionDockWidget *option) const override;
};

} // namespace headroom::ui
