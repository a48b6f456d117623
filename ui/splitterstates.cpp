#include "splitterstates.h"

#include <QSplitter>

namespace qc::ui {

namespace {

// "dashboardPage/details": unique enough across pages, stable across runs.
QString keyOf(const QSplitter* s)
{
    QString key = s->objectName();
    for (const QWidget* p = s->parentWidget(); p; p = p->parentWidget()) {
        if (p->objectName().endsWith(QLatin1String("Page"))
            || p->objectName().endsWith(QLatin1String("Dialog"))) {
            key = p->objectName() + u'-' + key;
            break;
        }
    }
    return key;
}

} // namespace

void restoreSplitters(QWidget* root, const services::Preferences& p)
{
    for (QSplitter* s : root->findChildren<QSplitter*>()) {
        if (s->objectName().isEmpty())
            continue;
        const QByteArray state = p.splitterStates.value(keyOf(s));
        if (!state.isEmpty())
            s->restoreState(state);
    }
}

void saveSplitters(const QWidget* root, services::Preferences& p)
{
    for (const QSplitter* s : root->findChildren<QSplitter*>()) {
        if (!s->objectName().isEmpty())
            p.splitterStates.insert(keyOf(s), s->saveState());
    }
}

} // namespace qc::ui
