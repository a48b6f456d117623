#pragma once

#include "policy/policyjson.h"

#include <QDialog>

class QDialogButtonBox;
class QPlainTextEdit;

namespace qc::ui {

/// Confirms a change of the active policy (a rollout of the candidate, or a rollback to an
/// earlier version): where, what changes, any warning (not simulated since the last edit), and
/// the reason, which is required and goes to the audit log.
class RolloutDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(RolloutDialog)
public:
    RolloutDialog(const QString& title, const QString& intro,
        const QList<policy::PolicyChange>& changes, const QString& warning,
        const QString& acceptText, QWidget* parent = nullptr);

    QString reason() const;
    void setReason(const QString& reason);

private:
    QPlainTextEdit* m_reason;
    QDialogButtonBox* m_buttons;
};

} // namespace qc::ui
