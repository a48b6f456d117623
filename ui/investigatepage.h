#pragma once

#include "db/dashboardqueries.h"
#include "db/investigation.h"
#include "services/actionrunner.h"
#include "ui/page.h"
#include "ui/pageregistry.h"

#include <QElapsedTimer>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace qc::models {
class BlockModel;
class CollisionModel;
class IncidentModel;
class PlanChangeModel;
class RateLimitModel;
class ReasonCountModel;
class RelatedModel;
class UsageModel;
} // namespace qc::models

namespace qc::ui {

class ActivityChart;
class RequestLogView;
class TimeRangeSelector;

/// Investigate (docs/investigation.md "Investigate"): one IP, /24 or /64 network, user or
/// endpoint over a time range — its requests newest first, activity, denials by reason,
/// blocks, incidents, idempotency collisions, plan and plan changes, usage against quota, cost,
/// and the state of every rate-limit rule for it right now. Opened from a chart span or a
/// top-list row of another page (InvestigationTarget), or typed in. Acts on what it shows:
/// block, change plan.
class InvestigatePage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(InvestigatePage)
public:
    explicit InvestigatePage(const PageContext& context, QWidget* parent = nullptr);
    ~InvestigatePage() override;

    static PageDescriptor descriptor();
    void investigate(const services::InvestigationTarget& target) override;
    void activated() override;

    /// What the Investigate button does with the typed text and the selected range.
    void investigateText(const QString& text);
    /// Investigates `subject` in [from, to).
    void open(const db::Subject& subject, const QDateTime& from, const QDateTime& to);
    /// The span overview: who was active in [from, to).
    void openSpan(const QDateTime& from, const QDateTime& to);

    std::optional<db::Subject> subject() const { return m_subject; }
    const std::optional<db::InvestigationTimeline>& timeline() const { return m_timeline; }
    const std::optional<db::InvestigationDetails>& details() const { return m_details; }
    RequestLogView* requestView() const { return m_requests; }
    models::RateLimitModel* rateLimits() const { return m_rateLimits; }
    models::CollisionModel* collisions() const { return m_collisions; }
    models::IncidentModel* incidents() const { return m_incidents; }
    models::BlockModel* blocks() const { return m_blocks; }
    models::ReasonCountModel* denials() const { return m_denials; }
    models::UsageModel* usage() const { return m_usage; }
    models::PlanChangeModel* planChanges() const { return m_planChanges; }
    QString headerText() const;
    QString lastMessage() const;
    /// Milliseconds from asking to painting the timeline, for the last investigation.
    qint64 timelineMs() const { return m_timelineMs; }

    /// What the Block button does once the dialog is filled in.
    void blockSubject(const QString& reason, const QDateTime& until);

Q_SIGNALS:
    void timelineShown(qint64 ms);
    void detailsShown();
    void spanShown();

private:
    void readTimeline();
    void readDetails();
    void showTimeline(const db::InvestigationTimeline& t);
    void showDetails(const db::InvestigationDetails& d);
    void updateHeader();
    void updateActions();
    void openBlockDialog();
    void openChangePlan();
    void goBack();

    struct Step {
        QString text;
        QDateTime from;
        QDateTime to;
    };

    QLineEdit* m_input;
    TimeRangeSelector* m_range;
    QPushButton* m_go;
    QPushButton* m_back;
    QLabel* m_header;
    QLabel* m_message;
    QPushButton* m_block;
    QPushButton* m_changePlan;
    QPushButton* m_network;
    QStackedWidget* m_stack;
    ActivityChart* m_chart;
    QTabWidget* m_tabs;
    RequestLogView* m_requests;
    models::ReasonCountModel* m_denials;
    models::RateLimitModel* m_rateLimits;
    models::BlockModel* m_blocks;
    models::IncidentModel* m_incidents;
    models::CollisionModel* m_collisions;
    models::UsageModel* m_usage;
    models::PlanChangeModel* m_planChanges;
    models::RelatedModel* m_related;
    QLabel* m_planLabel;
    QWidget* m_planTab;
    QWidget* m_planChangesTab;
    QTableView* m_spanIps;
    QTableView* m_spanUsers;
    QTableView* m_spanEndpoints;
    QLabel* m_spanTitle;
    services::ActionRunner* m_runner;
    std::optional<db::Subject> m_subject;
    QDateTime m_from;
    QDateTime m_to;
    std::optional<db::InvestigationTimeline> m_timeline;
    std::optional<db::InvestigationDetails> m_details;
    QElapsedTimer m_asked;
    qint64 m_timelineMs = 0;
    QList<Step> m_history;
};

} // namespace qc::ui
