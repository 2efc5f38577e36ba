#include "ui/PanelDock.h"

#include <QStyleOptionDockWidget>

namespace headroom::ui {

PanelDock::PanelDock(const QString &title, QWidget *parent)
    : QDockWidget(title, parent)
{
}

QString PanelDock::shownText(const QString &mnemonicText)
{
    // "&&" is a literal ampersand; a single '&' marks the next character as
    // the mnemonic and is not shown.
    QString shown;
    shown.reserve(mnemonicText.size());
    for (qsizetype i = 0; i < mnemonicText.size(); ++i) {
        if (mnemonicText.at(i) == QLatin1Char('&') && i + 1 < mnemonicText.size())
            ++i;
        shown += mnemonicText.at(i);
    }
    return shown;
}

QString PanelDock::titleBarText() const
{
    QStyleOptionDockWidget option;
    initStyleOption(&option);
    return option.title;
}

void PanelDock::initStyleOption(QStyleOptionDockWidget *option) const
{
    QDockWidget::initStyleOption(option);
    option->title = shownText(option->title);
}

} // namespace headroom::ui
