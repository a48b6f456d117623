#include "headerbar.h"

#include "services/connectionprofile.h"
#include "services/databaseworker.h"
#include "services/localization.h"
#include "services/session.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::ConnectionState;

namespace {

QString timeText(const QDateTime& utc)
{
    return services::display::moment(utc, true);
}

} // namespace

HeaderBar::HeaderBar(services::Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_environment(new QLabel(this))
    , m_profile(new QLabel(this))
    , m_account(new QLabel(this))
    , m_connectionDot(new QLabel(this))
    , m_connection(new QLabel(this))
    , m_tick(new QTimer(this))
{
    setObjectName(u"headerBar"_s);
    m_environment->setObjectName(u"environmentLabel"_s);
    m_account->setObjectName(u"accountLabel"_s);
    m_connection->setObjectName(u"connectionLabel"_s);
    QFont bold = m_environment->font();
    bold.setBold(true);
    m_environment->setFont(bold);
    m_environment->setContentsMargins(10, 3, 10, 3);
    m_environment->setAutoFillBackground(true);
    QFont title = m_profile->font();
    title.setPointSizeF(title.pointSizeF() * 1.15);
    title.setBold(true);
    m_profile->setFont(title);
    m_connection->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(10);
    layout->addWidget(m_environment);
    layout->addWidget(m_profile);
    layout->addStretch(1);
    layout->addWidget(m_account);
    layout->addSpacing(12);
    layout->addWidget(m_connectionDot);
    layout->addWidget(m_connection);

    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &HeaderBar::updateConnection);
    connect(session, &services::Session::profileChanged, this, &HeaderBar::updateAll);
    connect(session, &services::Session::identityChanged, this, &HeaderBar::updateAll);
    connect(session, &services::Session::databaseStateChanged, this, &HeaderBar::updateConnection);
    updateAll();
}

QString HeaderBar::environmentText() const
{
    return m_environment->text();
}

QString HeaderBar::accountText() const
{
    return m_account->text();
}

QString HeaderBar::connectionText() const
{
    return m_connection->text();
}

void HeaderBar::updateAll()
{
    const services::ConnectionProfile& p = m_session->profile();
    const bool active = m_session->isActive();
    m_environment->setVisible(active && !p.environmentLabel.isEmpty());
    m_environment->setText(active ? p.environmentLabel.toUpper() : QString());
    QPalette pal = m_environment->palette();
    pal.setColor(QPalette::Window, p.environmentColor);
    pal.setColor(QPalette::WindowText, services::readableTextColor(p.environmentColor));
    m_environment->setPalette(pal);
    m_environment->setToolTip(tr("Environment of this profile"));
    m_profile->setText(active ? p.name : tr("Not connected"));

    const db::ConnectionIdentity& id = m_session->identity();
    if (!active || id.account.isEmpty()) {
        m_account->clear();
    } else {
        m_account->setText(tr("%1 · %2").arg(id.account, services::Session::roleTitle(id.role)));
        m_account->setToolTip(
            tr("Connected account and its quota role (%1); server PostgreSQL %2%3")
                .arg(id.role == db::QuotaRole::None ? tr("none") : db::quotaRoleName(id.role),
                    id.serverVersion, id.inRecovery ? tr(", a read-only standby") : QString()));
    }
    updateConnection();
}

void HeaderBar::updateConnection()
{
    if (!m_session->isActive()) {
        m_connection->setText(tr("Offline"));
        m_connectionDot->setText(u"○"_s);
        m_connectionDot->setStyleSheet({});
        m_tick->stop();
        return;
    }
    const ConnectionState s = m_session->primary()->state();
    QString text;
    QColor color;
    bool ticking = false;
    switch (s.status) {
    case ConnectionState::Status::Idle:
    case ConnectionState::Status::Connecting:
        text = tr("Connecting…");
        color = QColor(0xef, 0x8f, 0x00);
        break;
    case ConnectionState::Status::Connected:
        text = tr("Connected since %1").arg(timeText(s.since));
        color = QColor(0x2e, 0x7d, 0x32);
        break;
    case ConnectionState::Status::Reconnecting: {
        const qint64 seconds
            = qMax<qint64>(0, (QDateTime::currentDateTimeUtc().msecsTo(s.retryAt) + 999) / 1000);
        text = tr("Unreachable since %1 — retrying in %2 s").arg(timeText(s.since)).arg(seconds);
        color = QColor(0xc6, 0x28, 0x28);
        ticking = true;
    } break;
    case ConnectionState::Status::Failed:
        text = tr("Connection failed");
        color = QColor(0xc6, 0x28, 0x28);
        break;
    }
    m_connection->setText(text);
    m_connection->setToolTip(s.error.isEmpty() ? s.target : s.error);
    m_connectionDot->setText(u"●"_s);
    m_connectionDot->setStyleSheet(u"color: %1"_s.arg(color.name()));
    if (ticking && !m_tick->isActive())
        m_tick->start();
    else if (!ticking)
        m_tick->stop();
}

} // namespace qc::ui
