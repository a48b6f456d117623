#pragma once

#include "enforcement/policy.h"
#include "replay/policyversions.h"
#include "simulation/workspace.h"

#include <QByteArray>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;

namespace qc::services {
class Session;
}

namespace qc::ui {

/// What the candidate is compared with: the active policy version of the connected database,
/// an earlier version, a policy file, the built-in default policy (or the policy a workspace
/// carried inline). Versions are read on the session's primary, so the baseline is what is in
/// force now; files are read and validated at once.
class BaselineWidget final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(BaselineWidget)
public:
    /// The baseline as loaded.
    struct State {
        simulation::WorkspaceBaseline spec;
        std::optional<enforcement::Policy> policy; // set when ready
        QByteArray json; // its policy file
        QString name; // "policy version 7 (active)", "default policy", "/path/base.json"
        QString error; // why it cannot be used
        bool loading = false;
        qint64 versionId = 0; // versions: the version read (the active one's id for Active)
        bool ready() const { return policy.has_value() && !loading; }
    };

    BaselineWidget(services::Session* session, QWidget* parent = nullptr);

    const State& state() const { return m_state; }
    /// Loads `spec` (asynchronously for versions: changed() follows).
    void setBaseline(const simulation::WorkspaceBaseline& spec);
    /// Loads the baseline again (after a rollout, the active version is another one).
    void reload();
    /// The version list offered in the box (from the Versions tab's read).
    void setVersions(const QList<replay::PolicyVersion>& versions);

Q_SIGNALS:
    void changed();
    /// "Copy into candidate" was pressed.
    void copyToCandidateRequested();

private:
    void choose(int index);
    void loadVersion(qint64 id, bool active);
    void finish();
    void rebuildBox();

    services::Session* m_session;
    QComboBox* m_box;
    QLabel* m_info;
    QPushButton* m_copy;
    State m_state;
    QList<replay::PolicyVersion> m_versions;
    quint64 m_request = 0;
};

} // namespace qc::ui
