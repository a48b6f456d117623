#pragma once

#include "db/investigation.h"
#include "services/actionrunner.h"

#include <QDialog>
#include <QPointer>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace qc::services {
class Session;
}

namespace qc::ui {

/// Change a user's plan (docs/investigation.md "Change plan"): shows the subscription, this
/// cycle's usage against the quotas that apply now and those of the chosen plan, what the change
/// does now (at once for an upgrade; the grace period of a downgrade), and requires a reason.
/// It sends the subscription version it showed: when someone changed the plan meanwhile the
/// database answers "changed by X at T", the dialog says so and shows the current state.
class ChangePlanDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(ChangePlanDialog)
public:
    ChangePlanDialog(services::Session* session, const QString& userId, QWidget* parent = nullptr);
    ~ChangePlanDialog() override;

    QString userId() const { return m_userId; }
    /// Reads the subscription, usage and plans again (from the primary).
    void reload();
    bool isLoaded() const { return m_overview.has_value(); }
    const std::optional<db::PlanOverview>& overview() const { return m_overview; }

    void setPlan(const QString& plan);
    QString plan() const;
    void setReason(const QString& reason);
    /// The text under the form: errors, the conflict, "done".
    QString message() const;
    /// The explanation of what the change does now.
    QString effectText() const;
    services::ActionRunner* runner() const { return m_runner; }

    /// What the Change plan button does: sends change_plan with the shown version.
    void apply();

Q_SIGNALS:
    void loaded();
    void applied(const qc::services::ActionOutcome& outcome);
    void failed(const qc::services::ActionOutcome& outcome);

private:
    void showOverview();
    void updateEffect();
    void setMessage(const QString& text, bool error);
    std::optional<db::PlanQuota> planNamed(const QString& name) const;

    QPointer<services::Session> m_session;
    QString m_userId;
    services::ActionRunner* m_runner;
    std::optional<db::PlanOverview> m_overview;
    std::optional<services::PendingAction> m_pending; // kept after an unknown outcome
    QString m_pendingKey;
    QLabel* m_current;
    QComboBox* m_plan;
    QTableWidget* m_usage;
    QLabel* m_effect;
    QPlainTextEdit* m_reason;
    QLabel* m_message;
    QDialogButtonBox* m_buttons;
    bool m_busy = false;
};

} // namespace qc::ui
