#include "mainwindow.h"

#include "startpage.h"

#include <QApplication>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>

namespace qc::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_pages(new QStackedWidget(this))
{
    setWindowTitle(tr("Quota Console"));
    m_pages->addWidget(new StartPage(m_pages));
    setCentralWidget(m_pages);

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    statusBar()->showMessage(tr("Not connected"));
    resize(1100, 720);
}

MainWindow::~MainWindow() = default;

} // namespace qc::ui
