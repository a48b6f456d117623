#pragma once

#include "services/investigationtarget.h"

#include <QWidget>

class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace qc::models {
class TopListFilterProxy;
class TopListModel;
} // namespace qc::models

namespace qc::ui {

/// A top list (IPs, users or endpoints) with a filter box (typing is debounced), sortable
/// columns, and investigation of the selected row (double-click, Enter or the button).
class TopListView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(TopListView)
public:
    TopListView(models::TopListModel* model, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    QLineEdit* filter() const { return m_filter; }
    models::TopListFilterProxy* proxy() const { return m_proxy; }
    /// Investigates the row of the view at `row` (as a double-click does).
    void activateRow(int row);

Q_SIGNALS:
    /// The identifier of the activated row (kind and value; the caller adds the time span).
    void identifierActivated(qc::services::InvestigationTarget::Kind kind, const QString& value);

private:
    models::TopListModel* m_model;
    models::TopListFilterProxy* m_proxy;
    QLineEdit* m_filter;
    QTableView* m_table;
    QPushButton* m_investigate;
    QTimer* m_debounce;
};

} // namespace qc::ui
