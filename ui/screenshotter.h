#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QTimer;

namespace qc::ui {

class MainWindow;
class Page;

/// `quota-console --screenshot-page PAGE --screenshot-out FILE` (scripts/user-guide-screenshots):
/// once connected, shows PAGE, waits until it has data (the dashboard's first data, other pages
/// `settleMs` after they are shown), grabs the window with QWidget::grab() and quits. PAGE may
/// also be `settings`, `shortcuts` or `about` for those dialogs over the dashboard. Exit status:
/// 0 written, 1 the file could not be written, 2 no such page, 3 no data within `timeoutMs`.
class Screenshotter final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(Screenshotter)
public:
    Screenshotter(MainWindow* window, QString page, QString file, int settleMs = 3000,
        int timeoutMs = 120000);
    ~Screenshotter() override;

    /// Page ids and dialog names it knows.
    static QStringList targets(const MainWindow* window);

private:
    void onPageCreated(const QString& id, Page* page);
    void start();
    void grabSoon();
    void grab();
    void finish(int status, const QString& message);

    QPointer<MainWindow> m_window;
    QString m_page;
    QString m_file;
    int m_settleMs;
    QTimer* m_timeout;
    QPointer<QWidget> m_dialog;
    bool m_grabbing = false;
};

} // namespace qc::ui
