#pragma once

#include "ui/page.h"
#include "ui/pageregistry.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class QListWidget;
class QMenu;
class QStackedWidget;

namespace qc::services {
class SecretStore;
}

namespace qc::ui {

class BannerArea;
class HeaderBar;
class StartPage;

/// The console's window. It only assembles: the header (environment, account, connection),
/// the banner area, the navigation between the pages of a PageRegistry, and the menus.
/// Data, connections and secrets belong to the session and the stores it is given.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY(MainWindow)

public:
    /// `context` and `secrets` must outlive the window. `registry` lists the pages; by default
    /// the built-in ones (registerBuiltInPages).
    MainWindow(const PageContext& context, services::SecretStore* secrets,
        PageRegistry registry = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Connects to the saved profile `id`: reads its secrets from the keychain, then
    /// Session::connectTo().
    void connectToProfile(const QString& id);
    /// On start: connects to the last profile if the settings say so.
    void connectOnStart();
    /// Shows the page `id` (creating it on first use); false when there is none.
    bool showPage(const QString& id);
    /// The page `id` if it was created.
    Page* page(const QString& id) const;
    QString currentPageId() const { return m_currentId; }

    HeaderBar* headerBar() const { return m_header; }
    BannerArea* bannerArea() const { return m_banner; }

    void openProfiles();
    void openNewProfile();

Q_SIGNALS:
    /// A page was created (on first show after a connect).
    void pageCreated(const QString& id, qc::ui::Page* page);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void rebuildConnectMenu();
    void onProfileChanged();
    void onNoticeAction(const QString& key, const QString& actionId);
    void routeInvestigation(const services::InvestigationTarget& target);
    void openLogFolder();
    void about();

    PageContext m_context;
    services::SecretStore* m_secrets;
    PageRegistry m_registry;
    HeaderBar* m_header;
    BannerArea* m_banner;
    QListWidget* m_navigation;
    QStackedWidget* m_stack;
    StartPage* m_start;
    QHash<QString, Page*> m_pages;
    QString m_currentId;
    QMenu* m_connectMenu = nullptr;
    QAction* m_disconnect = nullptr;
};

} // namespace qc::ui
