#pragma once

#include "db/connectioncheck.h"

#include <QObject>
#include <QPointer>
#include <QString>

class QAction;
class QWidget;

namespace qc::services {
class Session;
}

namespace qc::ui {

/// Keeps an action or a widget enabled only while the connected account has `needed`, and
/// sets its tooltip to say which role is missing ("Needs the quota_operator role; alice is a
/// viewer."). Owned by the guarded object:
///     RoleGuard::require(blockButton, session, db::QuotaRole::Operator, tr("Block this IP"));
class RoleGuard final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(RoleGuard)
public:
    static RoleGuard* require(QAction* action, services::Session* session, db::QuotaRole needed,
        const QString& toolTip = {});
    static RoleGuard* require(QWidget* widget, services::Session* session, db::QuotaRole needed,
        const QString& toolTip = {});

    /// Re-evaluates (also done whenever the identity changes).
    void update();

private:
    RoleGuard(QObject* target, services::Session* session, db::QuotaRole needed, QString toolTip);

    QPointer<QAction> m_action;
    QPointer<QWidget> m_widget;
    QPointer<services::Session> m_session;
    db::QuotaRole m_needed;
    QString m_toolTip;
};

} // namespace qc::ui
