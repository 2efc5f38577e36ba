#pragma once

#include <QMainWindow>

namespace headroom::ui {

// The console's top-level window: hosts the Import, APIs & rates, Live, Log and
// Runs panels and the run toolbar.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace headroom::ui
