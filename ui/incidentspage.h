#pragma once

#include "db/adminviews.h"
#include "ui/page.h"
#include "ui/pageregistry.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace qc::models {
class BuggyClientModel;
class IncidentModel;
class TextFilterProxyModel;
} // namespace qc::models

namespace qc::ui {

class BlocksPage;
class TimeRangeSelector;

/// Abuse incidents (docs/investigation.md "Incidents"): what abuse detection raised, with
/// severity and the pattern, and the users whose clients reuse idempotency keys more than 10
/// times in 24 h ("buggy clients"). Investigate or block from here.
class IncidentsPage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(IncidentsPage)
public:
    explicit IncidentsPage(const PageContext& context, QWidget* parent = nullptr);
    ~IncidentsPage() override;

    static PageDescriptor descriptor();
    void activated() override;

    void refresh();
    models::IncidentModel* incidents() const { return m_incidents; }
    models::BuggyClientModel* buggyClients() const { return m_buggy; }
    QString lastMessage() const;

Q_SIGNALS:
    void refreshed();

private:
    void investigateSelected();
    void blockSelected();
    QList<db::IncidentRow> selectedIncidents() const;

    TimeRangeSelector* m_range;
    QComboBox* m_severity;
    QLineEdit* m_filter;
    models::IncidentModel* m_incidents;
    models::TextFilterProxyModel* m_proxy;
    models::BuggyClientModel* m_buggy;
    QTableView* m_incidentView;
    QTableView* m_buggyView;
    QLabel* m_message;
    QLabel* m_buggyTitle;
    QPushButton* m_investigate;
    QPushButton* m_block;
    QTimer* m_debounce;
};

} // namespace qc::ui
