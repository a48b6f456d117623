// Desktop manners of the main window: accessible names on every interactive widget (window
// and dialogs), shortcuts for pages and actions listed under Help, window geometry and
// splitters restored, both themes readable, the About box.
#include "fixtures/dashboardseed.h"
#include "services/buildinfo.h"
#include "services/dashboardfeed.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "support/testcluster.h"
#include "ui/aboutdialog.h"
#include "ui/appearance.h"
#include "ui/dashboardpage.h"
#include "ui/kpitile.h"
#include "ui/mainwindow.h"
#include "ui/profiledialog.h"
#include "ui/profilesdialog.h"
#include "ui/settingsdialog.h"
#include "ui/shortcutsdialog.h"
#include "ui/timeserieschart.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QCalendarWidget>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using qc::testsupport::TestCluster;

namespace {

struct Console {
    QTemporaryDir dir;
    qc::services::SettingsStore settings { dir.filePath(u"console.ini"_s) };
    qc::services::SecretStore secrets { u"quota-console-test"_s };
    qc::services::Session session;
    qc::ui::MainWindow window;

    explicit Console(qc::ui::PageRegistry registry = {}, QString path = {})
        : settings(path.isEmpty() ? dir.filePath(u"console.ini"_s) : path)
        , window({ &session, &settings }, &secrets, std::move(registry))
    {
    }
};

// What a keyboard or screen-reader user operates (Qt's own parts of composite widgets aside).
bool isInteractive(const QWidget* w)
{
    for (const QWidget* p = w->parentWidget(); p; p = p->parentWidget()) {
        if (qobject_cast<const QAbstractSpinBox*>(p) || qobject_cast<const QComboBox*>(p)
            || qobject_cast<const QCalendarWidget*>(p) || qobject_cast<const QTabBar*>(p)
            || qobject_cast<const QLineEdit*>(p))
            return false;
    }
    if (qobject_cast<const QScrollBar*>(w) || qobject_cast<const QHeaderView*>(w)
        || qobject_cast<const QTabBar*>(w))
        return false;
    // The corner button of a table view.
    if (qobject_cast<const QAbstractButton*>(w)
        && qobject_cast<const QAbstractItemView*>(w->parentWidget()))
        return false;
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QComboBox*>(w)
        || qobject_cast<const QLineEdit*>(w) || qobject_cast<const QAbstractSpinBox*>(w)
        || qobject_cast<const QAbstractItemView*>(w) || qobject_cast<const QTextEdit*>(w)
        || qobject_cast<const QPlainTextEdit*>(w)
        || qobject_cast<const qc::ui::TimeSeriesChart*>(w);
}

QString pathOf(const QWidget* w)
{
    QStringList parts;
    for (const QObject* o = w; o; o = o->parent())
        parts.prepend(o->objectName().isEmpty() ? QString::fromLatin1(o->metaObject()->className())
                                                : o->objectName());
    return parts.join(u'/');
}

// Interactive widgets under `root` whose accessible name (their own, their text, or their
// label's buddy text, as a screen reader gets it) is empty.
QStringList unnamed(QWidget* root)
{
    QStringList out;
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* w : std::as_const(widgets)) {
        if (!isInteractive(w) || w->objectName().startsWith(u"qt_"_s))
            continue;
        QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(w);
        const QString name = iface ? iface->text(QAccessible::Name).trimmed() : QString();
        if (name.isEmpty())
            out << pathOf(w);
    }
    return out;
}

QList<qc::ui::ShortcutsDialog::Entry> entriesNamed(
    const QList<qc::ui::ShortcutsDialog::Entry>& all, const QString& what)
{
    QList<qc::ui::ShortcutsDialog::Entry> out;
    for (const auto& e : all) {
        if (e.what == what)
            out << e;
    }
    return out;
}

// A page with two panes, as the investigation pages have.
class SplitPage final : public qc::ui::Page {
public:
    SplitPage(const qc::ui::PageContext& context, QWidget* parent)
        : Page(context, parent)
        , splitter(new QSplitter(this))
    {
        splitter->setObjectName(u"panes"_s);
        splitter->addWidget(new QLabel(u"left"_s));
        splitter->addWidget(new QLabel(u"right"_s));
        (new QVBoxLayout(this))->addWidget(splitter);
    }
    QSplitter* splitter;
};

double contrast(const QColor& a, const QColor& b)
{
    auto lum = [](const QColor& c) {
        auto ch = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    const double x = lum(a), y = lum(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

} // namespace

class tst_Desktop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup()
    {
        qc::ui::applyTheme(qc::services::Preferences::Theme::System);
        TestCluster::instance().cleanup();
    }

    void everyInteractiveWidgetHasAnAccessibleName()
    {
        QC_TEST_DATABASE(name);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        {
            QSqlDatabase db = TestCluster::instance().open(name);
            QCOMPARE(qc::testsupport::logRows(
                         db, qc::testsupport::generateTraffic(now.addSecs(-3600), now, 20, 3)),
                QString());
        }
        Console c;
        c.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&c.window));
        QStringList missing = unnamed(&c.window); // the start page
        qc::services::ConnectionProfile profile
            = qc::services::ConnectionProfile::create(u"Staging"_s, u"STAGE"_s);
        profile.setDatabaseConninfo(TestCluster::instance().conninfo(name));
        c.session.connectTo(profile);
        auto* page = qobject_cast<qc::ui::DashboardPage*>(c.window.page(u"dashboard"_s));
        QVERIFY(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->feed()->hasData(), 20000);
        missing << unnamed(&c.window);
        // Every page, not only the one shown first.
        for (const qc::ui::PageDescriptor& d : c.window.registry().pages()) {
            QVERIFY(c.window.showPage(d.id));
            missing << unnamed(c.window.page(d.id));
        }

        qc::ui::SettingsDialog settings(&c.settings, &c.window);
        missing << unnamed(&settings);
        qc::ui::ShortcutsDialog shortcuts(&c.window, &c.window);
        missing << unnamed(&shortcuts);
        qc::ui::ProfilesDialog profiles(&c.settings, &c.secrets, c.session.network(), &c.window);
        missing << unnamed(&profiles);
        qc::ui::ProfileDialog edit(profile, {}, c.session.network(), &c.window);
        missing << unnamed(&edit);
        missing.removeDuplicates();
        for (const QString& path : std::as_const(missing))
            qWarning("no accessible name: %s", qPrintable(path));
        QVERIFY2(missing.isEmpty(),
            qPrintable(u"interactive widgets without an accessible name or label:\n  "_s
                + missing.join(u"\n  "_s)));
    }

    void pagesAndActionsHaveShortcutsListedUnderHelp()
    {
        Console c;
        const auto all = qc::ui::ShortcutsDialog::collect(&c.window);
        QVERIFY(!entriesNamed(all, u"Quit"_s).isEmpty());
        QCOMPARE(entriesNamed(all, u"Settings…"_s).value(0).keys,
            QKeySequence(Qt::CTRL | Qt::Key_Comma).toString(QKeySequence::NativeText));
        QVERIFY(!entriesNamed(all, u"Keyboard shortcuts"_s).isEmpty());
        // Every page of the navigation.
        for (const qc::ui::PageDescriptor& d : c.window.registry().pages()) {
            const auto e = entriesNamed(all, d.title);
            QVERIFY2(!e.isEmpty() && !e.first().keys.isEmpty(), qPrintable(d.title));
        }
        // Every menu action (but submenus and the connect list) has one.
        for (QAction* top : c.window.menuBar()->actions()) {
            for (QAction* a : top->menu()->actions()) {
                if (a->isSeparator() || a->menu() || !a->isEnabled() || a->objectName() == u"about")
                    continue;
                QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text()));
            }
        }
        // Help → Keyboard shortcuts opens the list.
        QAction* keys = c.window.findChild<QAction*>(u"keyboardShortcuts"_s);
        QVERIFY(keys);
        keys->trigger();
        QTRY_VERIFY(c.window.findChild<qc::ui::ShortcutsDialog*>());
    }

    void theDashboardsButtonsHaveShortcuts()
    {
        QC_TEST_DATABASE(name);
        Console c;
        c.window.show();
        qc::services::ConnectionProfile profile
            = qc::services::ConnectionProfile::create(u"Staging"_s, u"STAGE"_s);
        profile.setDatabaseConninfo(TestCluster::instance().conninfo(name));
        c.session.connectTo(profile);
        QVERIFY(c.window.page(u"dashboard"_s));
        const auto all = qc::ui::ShortcutsDialog::collect(&c.window);
        QCOMPARE(entriesNamed(all, u"Refresh"_s).value(0).keys,
            QKeySequence(QKeySequence::Refresh).toString(QKeySequence::NativeText));
        QCOMPARE(entriesNamed(all, u"Refresh"_s).value(0).where, u"Dashboard"_s);
        QVERIFY(!entriesNamed(all, u"Pause"_s).isEmpty());
        QVERIFY(!entriesNamed(all, u"Custom…"_s).isEmpty());
    }

    void geometryAndSplittersAreRestored()
    {
        QC_TEST_DATABASE(name);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"console.ini"_s);
        qc::ui::PageRegistry registry;
        qc::ui::PageDescriptor d;
        d.id = u"split"_s;
        d.title = u"Split"_s;
        d.create = [](const qc::ui::PageContext& context, QWidget* parent) {
            return new SplitPage(context, parent);
        };
        registry.add(d);
        qc::services::ConnectionProfile profile
            = qc::services::ConnectionProfile::create(u"Staging"_s, u"STAGE"_s);
        profile.setDatabaseConninfo(TestCluster::instance().conninfo(name));
        const QRect wanted(40, 50, 1111, 777);
        {
            Console c(registry, path);
            c.window.setGeometry(wanted);
            c.window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&c.window));
            c.session.connectTo(profile);
            auto* page = static_cast<SplitPage*>(c.window.page(u"split"_s));
            QVERIFY(page);
            QTRY_VERIFY(page->splitter->width() > 400);
            const int total = page->splitter->sizes().at(0) + page->splitter->sizes().at(1);
            page->splitter->setSizes({ 150, total - 150 });
            QCOMPARE(page->splitter->sizes().first(), 150);
            c.window.close();
        }
        Console again(registry, path);
        again.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again.window));
        QCOMPARE(again.window.size(), wanted.size());
        again.session.connectTo(profile);
        auto* page = static_cast<SplitPage*>(again.window.page(u"split"_s));
        QVERIFY(page);
        QCOMPARE(page->splitter->sizes().first(), 150);
    }

    void bothThemesAreReadable_data()
    {
        QTest::addColumn<int>("theme");
        QTest::newRow("light") << int(qc::services::Preferences::Theme::Light);
        QTest::newRow("dark") << int(qc::services::Preferences::Theme::Dark);
    }
    void bothThemesAreReadable()
    {
        QFETCH(int, theme);
        const auto t = qc::services::Preferences::Theme(theme);
        qc::ui::applyTheme(t);
        const QPalette p = QApplication::palette();
        const bool dark = p.color(QPalette::Window).lightness() < 128;
        QCOMPARE(dark, t == qc::services::Preferences::Theme::Dark);
        // WCAG AA for body text on windows, views and buttons.
        QVERIFY(contrast(p.color(QPalette::WindowText), p.color(QPalette::Window)) >= 4.5);
        QVERIFY(contrast(p.color(QPalette::Text), p.color(QPalette::Base)) >= 4.5);
        QVERIFY(contrast(p.color(QPalette::ButtonText), p.color(QPalette::Button)) >= 4.5);
        QVERIFY(contrast(p.color(QPalette::HighlightedText), p.color(QPalette::Highlight)) >= 3);
        QVERIFY(contrast(p.color(QPalette::PlaceholderText), p.color(QPalette::Base)) >= 3);

        // A KPI tile with a critical value: figure and level stripe readable on the tile.
        qc::ui::KpiTile tile;
        qc::services::KpiValue v;
        v.id = u"denials"_s;
        v.title = u"Denials"_s;
        v.value = u"12.5 %"_s;
        v.level = qc::services::thresholds::Level::Critical;
        tile.setValue(v);
        tile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tile));
        const QImage image = tile.grab().toImage();
        // The tile's background is the theme's.
        const QColor background = image.pixelColor(image.width() - 3, image.height() / 2);
        QCOMPARE(background.lightness() < 128, dark);
        auto* figure = tile.findChild<QLabel*>(u"value"_s);
        QVERIFY(figure);
        QVERIFY2(contrast(figure->palette().color(QPalette::WindowText), background) >= 3,
            qPrintable(figure->palette().color(QPalette::WindowText).name()));
    }

    void theAboutBoxTellsVersionBuildQtAndLicence()
    {
        const QString text = qc::ui::aboutText();
        QVERIFY(text.contains(QStringLiteral(QC_BUILD_VERSION)));
        QVERIFY(text.contains(QStringLiteral(QC_BUILD_DESCRIBE).toHtmlEscaped()));
        QVERIFY(text.contains(QStringLiteral(QC_BUILD_TYPE)));
        QVERIFY(text.contains(QString::fromLatin1(qVersion())));
        QVERIFY(text.contains(u"GPL-3.0-or-later"_s));
        QVERIFY(!QStringLiteral(QC_BUILD_COMPILER).trimmed().isEmpty());
    }
};

QTEST_MAIN(tst_Desktop)
#include "tst_desktop.moc"
