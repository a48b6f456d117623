#pragma once

#include <QSortFilterProxyModel>

namespace qc::models {

/// Filters a TopListModel by a text in the identifier (case-insensitive, substring) and sorts
/// by the numbers behind the formatted cells.
class TopListFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY(TopListFilterProxy)
public:
    explicit TopListFilterProxy(QObject* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return m_text; }
    /// Rows with fewer requests are hidden (0: none).
    void setMinimumRequests(qint64 minimum);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString m_text;
    qint64 m_minimumRequests = 0;
};

} // namespace qc::models
