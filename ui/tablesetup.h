#pragma once

#include <QHeaderView>
#include <QList>
#include <QTableView>

namespace qc::ui {

/// How the investigation and action tables look and behave: whole rows selected, one line per
/// row (no wrapping, a fixed row height: nothing measures the contents of a long table),
/// columns sized by hand to `widths` and resizable, the last one stretched.
inline void setUpTable(QTableView* view, const QList<int>& widths = {})
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    QHeaderView* header = view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    for (int c = 0; c < widths.size(); ++c)
        header->resizeSection(c, widths.at(c));
}

} // namespace qc::ui
