#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace qc::models {

/// Keeps the rows in which any column's text contains every word of the filter (case
/// insensitive); sorts by models::SortRole. Pages debounce the typing before setText().
class TextFilterProxyModel final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY(TextFilterProxyModel)
public:
    explicit TextFilterProxyModel(QObject* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    QStringList m_words;
};

} // namespace qc::models
