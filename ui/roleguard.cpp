#include "roleguard.h"

#include "services/session.h"

#include <QAction>
#include <QWidget>

namespace qc::ui {

RoleGuard::RoleGuard(
    QObject* target, services::Session* session, db::QuotaRole needed, QString toolTip)
    : QObject(target)
    , m_session(session)
    , m_needed(needed)
    , m_toolTip(std::move(toolTip))
{
    connect(session, &services::Session::identityChanged, this, &RoleGuard::update);
    connect(session, &services::Session::profileChanged, this, &RoleGuard::update);
}

RoleGuard* RoleGuard::require(
    QAction* action, services::Session* session, db::QuotaRole needed, const QString& toolTip)
{
    auto* guard = new RoleGuard(action, session, needed, toolTip);
    guard->m_action = action;
    guard->update();
    return guard;
}

RoleGuard* RoleGuard::require(
    QWidget* widget, services::Session* session, db::QuotaRole needed, const QString& toolTip)
{
    auto* guard = new RoleGuard(widget, session, needed, toolTip);
    guard->m_widget = widget;
    guard->update();
    return guard;
}

void RoleGuard::update()
{
    if (!m_session)
        return;
    const bool allowed = m_session->hasRole(m_needed);
    const QString tip = allowed ? m_toolTip : m_session->roleRequirement(m_needed);
    if (m_action) {
        m_action->setEnabled(allowed);
        m_action->setToolTip(tip);
    }
    if (m_widget) {
        m_widget->setEnabled(allowed);
        m_widget->setToolTip(tip);
    }
}

} // namespace qc::ui
