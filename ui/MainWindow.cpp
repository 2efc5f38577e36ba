#include "MainWindow.h"

#include <QLabel>

namespace headroom::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Headroom"));
    auto *placeholder = new QLabel(tr("The console panels arrive with the console issue."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    resize(1200, 800);
}

} // namespace headroom::ui
