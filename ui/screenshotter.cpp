#include "screenshotter.h"

#include "services/logging.h"
#include "services/session.h"
#include "ui/aboutdialog.h"
#include "ui/dashboardpage.h"
#include "ui/mainwindow.h"
#include "ui/settingsdialog.h"
#include "ui/shortcutsdialog.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPixmap>
#include <QTextStream>
#include <QTimer>

namespace qc::ui {

using namespace Qt::StringLiterals;

namespace {

const QStringList kDialogs = { u"settings"_s, u"shortcuts"_s, u"about"_s };

} // namespace

Screenshotter::Screenshotter(
    MainWindow* window, QString page, QString file, int settleMs, int timeoutMs)
    : QObject(window)
    , m_window(window)
    , m_page(std::move(page))
    , m_file(std::move(file))
    , m_settleMs(settleMs)
    , m_timeout(new QTimer(this))
{
    m_timeout->setSingleShot(true);
    m_timeout->setInterval(timeoutMs);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        finish(3,
            tr("The page %1 had no data after %2 s; no screenshot written.")
                .arg(m_page)
                .arg(m_timeout->interval() / 1000));
    });
    connect(window, &MainWindow::pageCreated, this, &Screenshotter::onPageCreated);
    QTimer::singleShot(0, this, &Screenshotter::start);
}

Screenshotter::~Screenshotter() = default;

QStringList Screenshotter::targets(const MainWindow* window)
{
    QStringList ids;
    for (const PageDescriptor& d : window->registry().pages())
        ids << d.id;
    return ids + kDialogs;
}

void Screenshotter::start()
{
    if (!targets(m_window).contains(m_page)) {
        finish(2,
            tr("There is no page '%1'; use one of %2.")
                .arg(m_page, targets(m_window).join(u", "_s)));
        return;
    }
    m_timeout->start();
    // Connected already (a page exists): show it now; otherwise when the session connects.
    if (m_window->currentPage())
        onPageCreated(m_window->currentPageId(), m_window->currentPage());
}

void Screenshotter::onPageCreated(const QString& id, Page* page)
{
    const QString wanted = kDialogs.contains(m_page) ? u"dashboard"_s : m_page;
    if (id != wanted) {
        if (m_window->currentPageId() != wanted)
            QTimer::singleShot(0, m_window, [w = m_window, wanted] {
                if (w)
                    w->showPage(wanted);
            });
        return;
    }
    if (auto* dashboard = qobject_cast<DashboardPage*>(page)) {
        if (!dashboard->hasShownData()) {
            connect(dashboard, &DashboardPage::firstDataShown, this, &Screenshotter::grabSoon);
            return;
        }
    }
    grabSoon();
}

void Screenshotter::grabSoon()
{
    if (m_grabbing)
        return;
    m_grabbing = true;
    if (m_page == u"settings") {
        auto* d = new SettingsDialog(m_window->settingsStore(), m_window);
        d->setAttribute(Qt::WA_DeleteOnClose);
        d->show();
        m_dialog = d;
    } else if (m_page == u"shortcuts") {
        auto* d = new ShortcutsDialog(m_window, m_window);
        d->setAttribute(Qt::WA_DeleteOnClose);
        d->show();
        m_dialog = d;
    } else if (m_page == u"about") {
        auto* d = new QMessageBox(
            QMessageBox::NoIcon, tr("About Quota Console"), aboutText(), QMessageBox::Ok, m_window);
        d->setAttribute(Qt::WA_DeleteOnClose);
        d->show();
        m_dialog = d;
    }
    // Charts animate nothing, but tables and charts lay out once more after their data.
    QTimer::singleShot(m_settleMs, this, &Screenshotter::grab);
}

void Screenshotter::grab()
{
    QWidget* target = m_dialog ? m_dialog.data() : static_cast<QWidget*>(m_window.data());
    const QPixmap pixmap = target->grab();
    QDir().mkpath(QFileInfo(m_file).absolutePath());
    if (!pixmap.save(m_file, "PNG")) {
        finish(1, tr("Cannot write the screenshot %1.").arg(m_file));
        return;
    }
    finish(0,
        tr("Screenshot of %1 written to %2 (%3×%4).")
            .arg(m_page, m_file)
            .arg(pixmap.width())
            .arg(pixmap.height()));
}

void Screenshotter::finish(int status, const QString& message)
{
    m_timeout->stop();
    QTextStream(status == 0 ? stdout : stderr) << message << u'\n';
    services::logger()->info("{}", services::toLog(message));
    if (m_dialog)
        m_dialog->close();
    QTimer::singleShot(0, qApp, [status] { QApplication::exit(status); });
}

} // namespace qc::ui
