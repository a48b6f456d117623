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

/// For short tables only (an investigation's details: tens of rows): each time the model is
/// reset, the columns but the last are fitted to what the first 200 rows show, at most
/// `maxWidth` pixels each. Never for the request log, whose rows are not all there.
inline void fitColumnsOnReset(QTableView* view, int maxWidth = 320)
{
    QHeaderView* header = view->horizontalHeader();
    header->setResizeContentsPrecision(200);
    QObject::connect(view->model(), &QAbstractItemModel::modelReset, view, [view, maxWidth] {
        QHeaderView* h = view->horizontalHeader();
        for (int c = 0; c + 1 < h->count(); ++c) {
            view->resizeColumnToContents(c);
            if (h->sectionSize(c) > maxWidth)
                h->resizeSection(c, maxWidth);
        }
    });
}

} // namespace qc::ui
