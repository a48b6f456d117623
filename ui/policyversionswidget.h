#pragma once

#include "replay/policyversions.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace qc::services {
class Session;
}
namespace qc::workbench {
class PolicyVersionModel;
}

namespace qc::ui {

/// The quota database's policy versions (who created each, when, why; which is active) with
/// the admin's actions on them: roll the candidate out as a new active version, or activate an
/// earlier one (a rollback). The actions need quota_admin (RoleGuard); the database checks
/// the role again and refuses a stale expected version ("changed by … at …").
class PolicyVersionsWidget final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyVersionsWidget)
public:
    explicit PolicyVersionsWidget(services::Session* session, QWidget* parent = nullptr);

    void setVersions(const QList<replay::PolicyVersion>& versions);
    /// A line under the list: the outcome of the last action, or an error (red).
    void setStatus(const QString& text, bool error);
    QString statusText() const;
    /// Whether the candidate can be rolled out now, and why not.
    void setCandidateState(bool canRollOut, const QString& why);
    void setBusy(bool busy);
    /// The selected version, 0 when none.
    qint64 selectedId() const;
    void select(qint64 id);

    workbench::PolicyVersionModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QPushButton* rollOutButton() const { return m_rollOut; }
    QPushButton* activateButton() const { return m_activate; }

Q_SIGNALS:
    void refreshRequested();
    void useAsBaselineRequested(qint64 id);
    void copyToCandidateRequested(qint64 id);
    void rollOutRequested();
    void activateRequested(qint64 id);

private:
    void updateButtons();

    services::Session* m_session;
    workbench::PolicyVersionModel* m_model;
    QTableView* m_view;
    QPushButton* m_refresh;
    QPushButton* m_useAsBaseline;
    QPushButton* m_copy;
    QWidget* m_adminBox;
    QPushButton* m_rollOut;
    QPushButton* m_activate;
    QLabel* m_status;
    bool m_canRollOut = false;
    QString m_rollOutWhy;
    bool m_busy = false;
};

} // namespace qc::ui
