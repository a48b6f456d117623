#include "shortcutsdialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

namespace {

QString plain(QString text)
{
    // "&Manage profiles…" → "Manage profiles…"; "&&" stays one "&".
    text.replace(u"&&"_s, QString(QChar(1)));
    text.remove(u'&');
    text.replace(QChar(1), u'&');
    return text;
}

QString keysOf(const QList<QKeySequence>& keys)
{
    QStringList parts;
    for (const QKeySequence& k : keys)
        parts << k.toString(QKeySequence::NativeText);
    return parts.join(u", "_s);
}

void collectMenu(QMenu* menu, const QString& where, QList<ShortcutsDialog::Entry>& out,
    QSet<const QAction*>& seen)
{
    for (QAction* a : menu->actions()) {
        if (a->isSeparator())
            continue;
        if (QMenu* sub = a->menu()) {
            collectMenu(sub, where + u" → "_s + plain(sub->title()), out, seen);
            continue;
        }
        seen.insert(a);
        if (!a->shortcuts().isEmpty())
            out.append({ where, plain(a->text()), keysOf(a->shortcuts()) });
    }
}

// The page (or dialog) a widget belongs to, as the user knows it.
QString placeOf(const QWidget* w, const QWidget* window)
{
    for (const QWidget* p = w; p && p != window; p = p->parentWidget()) {
        const QVariant title = p->property("pageTitle");
        if (title.isValid())
            return title.toString();
    }
    return ShortcutsDialog::tr("Window");
}

} // namespace

QList<ShortcutsDialog::Entry> ShortcutsDialog::collect(QWidget* window)
{
    QList<Entry> out;
    QSet<const QAction*> seen;
    if (auto* main = qobject_cast<QMainWindow*>(window)) {
        for (QAction* a : main->menuBar()->actions()) {
            if (QMenu* m = a->menu())
                collectMenu(m, plain(m->title()), out, seen);
        }
    }
    // Actions and buttons of the pages (created so far) and of the window itself.
    const QList<QAction*> actions = window->findChildren<QAction*>();
    for (QAction* a : actions) {
        if (seen.contains(a) || a->shortcuts().isEmpty() || a->text().isEmpty())
            continue;
        seen.insert(a);
        QString where = tr("Window");
        if (auto* owner = qobject_cast<QWidget*>(a->parent()))
            where = placeOf(owner, window);
        out.append({ where, plain(a->text()), keysOf(a->shortcuts()) });
    }
    const QList<QAbstractButton*> buttons = window->findChildren<QAbstractButton*>();
    for (QAbstractButton* b : buttons) {
        if (b->shortcut().isEmpty())
            continue;
        const QString what = !b->text().isEmpty() ? plain(b->text())
            : !b->toolTip().isEmpty()             ? b->toolTip()
                                                  : b->accessibleName();
        out.append({ placeOf(b, window), what, b->shortcut().toString(QKeySequence::NativeText) });
    }
    return out;
}

ShortcutsDialog::ShortcutsDialog(QWidget* window, QWidget* parent)
    : QDialog(parent)
    , m_table(new QTableWidget(this))
{
    setWindowTitle(tr("Keyboard shortcuts"));
    setObjectName(u"shortcutsDialog"_s);
    const QList<Entry> entries = collect(window);
    m_table->setObjectName(u"shortcuts"_s);
    m_table->setAccessibleName(tr("Keyboard shortcuts"));
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({ tr("Where"), tr("Action"), tr("Shortcut") });
    m_table->setRowCount(int(entries.size()));
    for (int row = 0; row < entries.size(); ++row) {
        const Entry& e = entries.at(row);
        m_table->setItem(row, 0, new QTableWidgetItem(e.where));
        m_table->setItem(row, 1, new QTableWidgetItem(e.what));
        m_table->setItem(row, 2, new QTableWidgetItem(e.keys));
    }
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->resizeColumnsToContents();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(560, 520);
}

ShortcutsDialog::~ShortcutsDialog() = default;

} // namespace qc::ui
