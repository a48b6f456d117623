#include "textfilterproxymodel.h"

#include "models/valuetablemodel.h"

namespace qc::models {

TextFilterProxyModel::TextFilterProxyModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void TextFilterProxyModel::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

bool TextFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    const QAbstractItemModel* m = sourceModel();
    const int columns = m->columnCount(sourceParent);
    for (const QString& word : m_words) {
        bool found = false;
        for (int c = 0; c < columns && !found; ++c)
            found = m->index(sourceRow, c, sourceParent)
                        .data(Qt::DisplayRole)
                        .toString()
                        .contains(word, Qt::CaseInsensitive);
        if (!found)
            return false;
    }
    return true;
}

} // namespace qc::models
