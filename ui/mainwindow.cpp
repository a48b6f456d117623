#include "mainwindow.h"

#include "services/logging.h"
#include "services/noticeboard.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "ui/aboutdialog.h"
#include "ui/alertnotifier.h"
#include "ui/appearance.h"
#include "ui/bannerarea.h"
#include "ui/headerbar.h"
#include "ui/profilesdialog.h"
#include "ui/settingsdialog.h"
#include "ui/shortcutsdialog.h"
#include "ui/splitterstates.h"
#include "ui/startpage.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUrl>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

MainWindow::MainWindow(const PageContext& context, services::SecretStore* secrets,
    PageRegistry registry, QWidget* parent)
    : QMainWindow(parent)
    , m_context(context)
    , m_secrets(secrets)
    , m_registry(std::move(registry))
    , m_header(new HeaderBar(context.session, this))
    , m_banner(new BannerArea(context.session->notices(), this))
    , m_navigation(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_start(new StartPage(this))
{
    if (m_registry.pages().isEmpty())
        registerBuiltInPages(m_registry);
    setWindowTitle(tr("Quota Console"));
    setObjectName(u"mainWindow"_s);

    m_navigation->setObjectName(u"navigation"_s);
    m_navigation->setAccessibleName(tr("Pages"));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setIconSize(QSize(20, 20));
    m_navigation->setSpacing(2);
    int widest = 0;
    for (const PageDescriptor& d : m_registry.pages()) {
        auto* item = new QListWidgetItem(d.icon, d.title, m_navigation);
        item->setData(Qt::UserRole, d.id);
        item->setToolTip(d.toolTip);
        widest = qMax(widest, m_navigation->fontMetrics().horizontalAdvance(d.title));
    }
    m_navigation->setFixedWidth(widest + 64);
    m_stack->addWidget(m_start);

    auto* body = new QWidget(this);
    auto* bodyLayout = new QHBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->setSpacing(0);
    bodyLayout->addWidget(m_navigation);
    bodyLayout->addWidget(m_stack, 1);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_header);
    layout->addWidget(m_banner);
    layout->addWidget(body, 1);
    setCentralWidget(central);

    buildMenus();
    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        if (QListWidgetItem* item = m_navigation->item(row))
            showPage(item->data(Qt::UserRole).toString());
    });
    connect(m_start, &StartPage::manageProfilesRequested, this, &MainWindow::openProfiles);
    connect(m_start, &StartPage::newProfileRequested, this, &MainWindow::openNewProfile);
    connect(
        context.session, &services::Session::profileChanged, this, &MainWindow::onProfileChanged);
    connect(context.session->notices(), &services::NoticeBoard::actionRequested, this,
        &MainWindow::onNoticeAction);
    connect(context.settings, &services::SettingsStore::changed, this, [this] {
        rebuildConnectMenu();
        m_start->setHasProfiles(!m_context.settings->settings().profiles.isEmpty());
    });
    m_start->setHasProfiles(!context.settings->settings().profiles.isEmpty());

    const services::ConsoleSettings& s = context.settings->settings();
    if (!s.windowGeometry.isEmpty())
        restoreGeometry(s.windowGeometry);
    else
        resize(1280, 820);
    if (!s.windowState.isEmpty())
        restoreState(s.windowState);
    onProfileChanged();
    // Desktop notifications of new alerts, for as long as the window lives.
    new AlertNotifier(this, m_context);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    m_connectMenu = file->addMenu(tr("&Connect"));
    m_connectMenu->setObjectName(u"connectMenu"_s);
    QAction* manage = file->addAction(tr("&Manage profiles…"), this, &MainWindow::openProfiles);
    manage->setObjectName(u"manageProfiles"_s);
    manage->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    file->addAction(tr("&New profile…"), this, &MainWindow::openNewProfile)
        ->setShortcut(QKeySequence::New);
    m_disconnect = file->addAction(
        tr("&Disconnect"), m_context.session, &services::Session::disconnectFromProfile);
    m_disconnect->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    file->addSeparator();
    QAction* settings = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setObjectName(u"settings"_s);
    settings->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_Comma) });
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    // Platforms without a standard quit key (Windows conventions, offscreen) get Ctrl+Q.
    quit->setShortcuts(QKeySequence::keyBindings(QKeySequence::Quit).isEmpty()
            ? QList<QKeySequence> { QKeySequence(Qt::CTRL | Qt::Key_Q) }
            : QKeySequence::keyBindings(QKeySequence::Quit));
    rebuildConnectMenu();

    auto* view = menuBar()->addMenu(tr("&View"));
    int n = 0;
    for (const PageDescriptor& d : m_registry.pages()) {
        QAction* a = view->addAction(d.icon, d.title);
        const QString id = d.id;
        connect(a, &QAction::triggered, this, [this, id] { showPage(id); });
        if (++n <= 9)
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + n)));
    }
    view->addSeparator();
    buildThemeMenu(view);

    auto* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setObjectName(u"keyboardShortcuts"_s);
    keys->setShortcut(QKeySequence::HelpContents);
    QAction* logs = help->addAction(tr("Open &log folder"), this, &MainWindow::openLogFolder);
    logs->setObjectName(u"openLogFolder"_s);
    logs->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    help->addSeparator();
    help->addAction(tr("&About Quota Console"), this, &MainWindow::about)
        ->setObjectName(u"about"_s);
}

void MainWindow::buildThemeMenu(QMenu* view)
{
    using services::Preferences;
    QMenu* themes = view->addMenu(tr("&Theme"));
    themes->setObjectName(u"themeMenu"_s);
    auto* group = new QActionGroup(themes);
    const std::tuple<Preferences::Theme, QString, Qt::Key> choices[] = {
        { Preferences::Theme::System, tr("&System"), Qt::Key_S },
        { Preferences::Theme::Light, tr("&Light"), Qt::Key_L },
        { Preferences::Theme::Dark, tr("&Dark"), Qt::Key_K },
    };
    for (const auto& [theme, text, key] : choices) {
        QAction* a = themes->addAction(text);
        a->setObjectName(u"theme_"_s + Preferences::themeName(theme));
        a->setCheckable(true);
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | key));
        a->setChecked(m_context.settings->settings().preferences.theme == theme);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, theme] {
            const Preferences before = m_context.settings->settings().preferences;
            m_context.settings->update(
                [&](services::ConsoleSettings& s) { s.preferences.theme = theme; });
            applyPreferences(m_context.settings->settings().preferences, &before);
        });
    }
    connect(m_context.settings, &services::SettingsStore::changed, themes, [this, group] {
        const QString name
            = services::Preferences::themeName(m_context.settings->settings().preferences.theme);
        for (QAction* a : group->actions())
            a->setChecked(a->objectName() == u"theme_"_s + name);
    });
}

void MainWindow::rebuildConnectMenu()
{
    m_connectMenu->clear();
    const services::ConsoleSettings& s = m_context.settings->settings();
    for (const services::ConnectionProfile& p : s.profiles) {
        const QString title = p.environmentLabel.isEmpty()
            ? p.name
            : tr("%1  [%2]").arg(p.name, p.environmentLabel);
        QAction* a = m_connectMenu->addAction(title);
        const QString id = p.id;
        connect(a, &QAction::triggered, this, [this, id] { connectToProfile(id); });
    }
    if (s.profiles.isEmpty())
        m_connectMenu->addAction(tr("No profiles yet — File → New profile…"))->setEnabled(false);
}

void MainWindow::connectToProfile(const QString& id)
{
    const services::ConnectionProfile* p = m_context.settings->settings().profile(id);
    if (!p) {
        statusBar()->showMessage(tr("There is no connection profile %1.").arg(id));
        return;
    }
    services::ConnectionProfile profile = *p;
    if (const int scrape = m_context.settings->settings().preferences.metricsScrapeSeconds)
        profile.scrapeIntervalSeconds = scrape; // Settings → Metrics scrape
    statusBar()->showMessage(tr("Reading the secrets of %1 from the keychain…").arg(profile.name));
    m_secrets->read(profile, this,
        [this, profile](const services::ProfileSecrets& secrets, const QString& error) {
            if (!error.isEmpty())
                services::logger()->warn("keychain: {}", services::toLog(error));
            m_context.session->connectTo(profile, secrets);
            if (!error.isEmpty())
                m_context.session->notices()->post(
                    { u"keychain"_s, services::Notice::Severity::Info,
                        tr("Keychain: %1. Connecting without saved secrets (libpq may still find "
                           "~/.pgpass).")
                            .arg(error),
                        QDateTime::currentDateTimeUtc() });
            m_context.settings->update(
                [&](services::ConsoleSettings& s) { s.lastProfileId = profile.id; });
        });
}

void MainWindow::connectOnStart()
{
    const services::ConsoleSettings& s = m_context.settings->settings();
    if (s.connectOnStart && s.profile(s.lastProfileId))
        connectToProfile(s.lastProfileId);
}

bool MainWindow::showPage(const QString& id)
{
    const PageDescriptor* d = m_registry.find(id);
    if (!d)
        return false;
    if (!m_context.session->isActive()) {
        m_currentId = id;
        m_stack->setCurrentWidget(m_start);
        return true;
    }
    Page* previous = page(m_currentId);
    Page* next = page(id);
    if (!next) {
        next = d->create(m_context, m_stack);
        next->setObjectName(id + u"Page"_s);
        next->setProperty("pageTitle", d->title);
        restoreSplitters(next, m_context.settings->settings().preferences);
        m_pages.insert(id, next);
        m_stack->addWidget(next);
        connect(next, &Page::investigateRequested, this, &MainWindow::routeInvestigation);
        connect(next, &Page::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
        Q_EMIT pageCreated(id, next);
    }
    if (previous && previous != next)
        previous->deactivated();
    m_currentId = id;
    m_stack->setCurrentWidget(next);
    for (int row = 0; row < m_navigation->count(); ++row) {
        if (m_navigation->item(row)->data(Qt::UserRole).toString() == id) {
            const QSignalBlocker block(m_navigation);
            m_navigation->setCurrentRow(row);
        }
    }
    next->activated();
    if (m_context.settings->settings().lastPage != id)
        m_context.settings->update([&](services::ConsoleSettings& s) { s.lastPage = id; });
    return true;
}

Page* MainWindow::page(const QString& id) const
{
    return m_pages.value(id, nullptr);
}

void MainWindow::onProfileChanged()
{
    services::Session* session = m_context.session;
    const bool active = session->isActive();
    // Pages hold data of the previous connection: make them afresh (their panes' sizes kept).
    if (!m_pages.isEmpty()) {
        services::Preferences kept = m_context.settings->settings().preferences;
        for (const Page* p : std::as_const(m_pages))
            saveSplitters(p, kept);
        m_context.settings->update([&](services::ConsoleSettings& s) {
            s.preferences.splitterStates = kept.splitterStates;
        });
    }
    for (Page* p : std::as_const(m_pages)) {
        m_stack->removeWidget(p);
        p->deleteLater();
    }
    m_pages.clear();
    m_navigation->setEnabled(active);
    m_disconnect->setEnabled(active);
    if (!active) {
        setWindowTitle(tr("Quota Console"));
        m_stack->setCurrentWidget(m_start);
        statusBar()->showMessage(tr("Not connected"));
        return;
    }
    const services::ConnectionProfile& p = session->profile();
    setWindowTitle(p.environmentLabel.isEmpty()
            ? tr("%1 — Quota Console").arg(p.name)
            : tr("%1 [%2] — Quota Console").arg(p.name, p.environmentLabel));
    statusBar()->clearMessage();
    QString id = m_context.settings->settings().lastPage;
    if (!m_registry.find(id) && !m_registry.pages().isEmpty())
        id = m_registry.pages().first().id;
    m_currentId.clear();
    showPage(id);
}

void MainWindow::onNoticeAction(const QString& key, const QString& actionId)
{
    if (actionId != u"migrate")
        return;
    Q_UNUSED(key)
    services::Session* session = m_context.session;
    const db::ConnectionIdentity& id = session->identity();
    const auto answer = QMessageBox::question(this, tr("Migrate the quota database"),
        tr("Apply %n pending schema migration(s) to %1 as %2? Each runs in its own transaction "
           "and is recorded in quota.schema_migrations.",
            nullptr, id.pendingMigrations)
            .arg(id.database, id.account),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    statusBar()->showMessage(tr("Migrating…"));
    session->migrate(this, [this](const db::MigrationRun& run) {
        if (run.ok())
            statusBar()->showMessage(
                tr("%n migration(s) applied.", nullptr, int(run.applied.size())), 10000);
        else
            QMessageBox::warning(this, tr("Migration failed"), run.error);
    });
}

void MainWindow::routeInvestigation(const services::InvestigationTarget& target)
{
    services::logger()->info("investigate {} '{}' from {} to {} (from {})",
        services::toLog(services::kindName(target.kind)), services::toLog(target.value),
        services::toLog(target.from.toString(Qt::ISODate)),
        services::toLog(target.to.toString(Qt::ISODate)), services::toLog(target.origin));
    const PageDescriptor* d = m_registry.investigator();
    if (!d) {
        statusBar()->showMessage(
            tr("Investigation of %1 is not available in this version.")
                .arg(target.hasIdentifier() ? target.value : tr("that time span")),
            10000);
        return;
    }
    if (showPage(d->id))
        page(d->id)->investigate(target);
}

void MainWindow::openProfiles()
{
    auto* dialog
        = new ProfilesDialog(m_context.settings, m_secrets, m_context.session->network(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProfilesDialog::connectRequested, this, &MainWindow::connectToProfile);
    dialog->open();
}

void MainWindow::openNewProfile()
{
    auto* dialog
        = new ProfilesDialog(m_context.settings, m_secrets, m_context.session->network(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProfilesDialog::connectRequested, this, &MainWindow::connectToProfile);
    dialog->open();
    dialog->createProfile();
}

void MainWindow::openLogFolder()
{
    const QString dir = services::logDirectory();
    QDir().mkpath(dir);
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(dir)))
        QMessageBox::information(this, tr("Log folder"),
            tr("The log files are in %1").arg(QDir::toNativeSeparators(dir)));
}

void MainWindow::about()
{
    showAbout(this);
}

void MainWindow::openSettings()
{
    auto* dialog = new SettingsDialog(m_context.settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showShortcuts()
{
    auto* dialog = new ShortcutsDialog(this, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    const QByteArray geometry = saveGeometry();
    const QByteArray state = saveState();
    services::Preferences withSplitters = m_context.settings->settings().preferences;
    for (const Page* p : std::as_const(m_pages))
        saveSplitters(p, withSplitters);
    m_context.settings->update([&](services::ConsoleSettings& s) {
        s.windowGeometry = geometry;
        s.windowState = state;
        s.preferences.splitterStates = withSplitters.splitterStates;
    });
    event->accept();
}

} // namespace qc::ui
