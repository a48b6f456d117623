#pragma once

#include <QMainWindow>

class QStackedWidget;

namespace qc::ui {

/// Assembles the console's pages; owns no data and no connections.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY(MainWindow)

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

private:
    QStackedWidget* m_pages = nullptr;
};

} // namespace qc::ui
