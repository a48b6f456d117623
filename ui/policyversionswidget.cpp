#include "policyversionswidget.h"

#include "roleguard.h"
#include "services/session.h"
#include "workbench/policyversionmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qc::ui {

PolicyVersionsWidget::PolicyVersionsWidget(services::Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new workbench::PolicyVersionModel(this))
    , m_view(new QTableView(this))
    , m_refresh(new QPushButton(QIcon::fromTheme(u"view-refresh"_s), tr("Refresh"), this))
    , m_useAsBaseline(new QPushButton(tr("Use as baseline"), this))
    , m_copy(new QPushButton(tr("Copy into candidate"), this))
    , m_adminBox(new QWidget(this))
    , m_rollOut(
          new QPushButton(QIcon::fromTheme(u"go-up"_s), tr("Roll out the candidate…"), m_adminBox))
    , m_activate(new QPushButton(
          QIcon::fromTheme(u"edit-undo"_s), tr("Roll back to this version…"), m_adminBox))
    , m_status(new QLabel(this))
{
    m_view->setObjectName(u"policyVersions"_s);
    m_view->setAccessibleName(tr("Policy versions"));
    m_rollOut->setObjectName(u"rollOut"_s);
    m_activate->setObjectName(u"activateVersion"_s);
    m_status->setObjectName(u"versionsStatus"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_view->setColumnWidth(workbench::PolicyVersionModel::Id, 70);
    m_view->setColumnWidth(workbench::PolicyVersionModel::State, 110);
    m_view->setColumnWidth(workbench::PolicyVersionModel::Reason, 420);
    m_view->setColumnWidth(workbench::PolicyVersionModel::CreatedBy, 120);
    m_view->setColumnWidth(workbench::PolicyVersionModel::CreatedAt, 180);
    m_view->setColumnWidth(workbench::PolicyVersionModel::ActivatedBy, 120);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_useAsBaseline->setToolTip(tr("Compare the candidate with the selected version"));
    m_copy->setToolTip(tr("Replace the candidate with the selected version, to edit it"));
    m_rollOut->setToolTip(tr("Make the candidate the active policy version; live enforcement "
                             "uses it from the next request"));
    m_activate->setToolTip(tr("Make the selected earlier version the active one again"));
    auto* admin = new QHBoxLayout(m_adminBox);
    admin->setContentsMargins(0, 0, 0, 0);
    admin->addWidget(m_rollOut);
    admin->addWidget(m_activate);
    // Only admins roll out; the tooltip of the box says which role is missing.
    RoleGuard::require(m_adminBox, session, db::QuotaRole::Admin, {});
    connect(
        session, &services::Session::identityChanged, this, &PolicyVersionsWidget::updateButtons);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_useAsBaseline);
    buttons->addWidget(m_copy);
    buttons->addStretch(1);
    buttons->addWidget(m_adminBox);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(m_refresh, &QPushButton::clicked, this, &PolicyVersionsWidget::refreshRequested);
    connect(m_useAsBaseline, &QPushButton::clicked, this,
        [this] { Q_EMIT useAsBaselineRequested(selectedId()); });
    connect(m_copy, &QPushButton::clicked, this,
        [this] { Q_EMIT copyToCandidateRequested(selectedId()); });
    connect(m_rollOut, &QPushButton::clicked, this, &PolicyVersionsWidget::rollOutRequested);
    connect(m_activate, &QPushButton::clicked, this,
        [this] { Q_EMIT activateRequested(selectedId()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &PolicyVersionsWidget::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PolicyVersionsWidget::updateButtons);
    updateButtons();
}

void PolicyVersionsWidget::setVersions(const QList<replay::PolicyVersion>& versions)
{
    const qint64 selected = selectedId();
    m_model->resetData(versions);
    select(selected);
}

void PolicyVersionsWidget::select(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, 0));
    updateButtons();
}

qint64 PolicyVersionsWidget::selectedId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(workbench::PolicyVersionModel::IdRole).toLongLong() : 0;
}

void PolicyVersionsWidget::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"color: #b3261e;"_s : QString());
}

QString PolicyVersionsWidget::statusText() const
{
    return m_status->text();
}

void PolicyVersionsWidget::setCandidateState(bool canRollOut, const QString& why)
{
    m_canRollOut = canRollOut;
    m_rollOutWhy = why;
    updateButtons();
}

void PolicyVersionsWidget::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void PolicyVersionsWidget::updateButtons()
{
    const QModelIndex current = m_view->currentIndex();
    const bool selected = current.isValid();
    const bool active
        = selected && current.data(workbench::PolicyVersionModel::ActiveRole).toBool();
    m_useAsBaseline->setEnabled(selected && !m_busy);
    m_copy->setEnabled(selected && !m_busy);
    const bool admin = m_session->hasRole(db::QuotaRole::Admin);
    m_rollOut->setEnabled(m_canRollOut && !m_busy);
    m_activate->setEnabled(selected && !active && !m_busy);
    // Without the role the box's tooltip (RoleGuard) says why; with it, the buttons do.
    m_rollOut->setToolTip(!admin ? QString()
            : m_canRollOut       ? tr("Make the candidate the active policy version; live "
                                            "enforcement uses it from the next request")
                                 : m_rollOutWhy);
    m_activate->setToolTip(!admin ? QString()
            : active              ? tr("This version is active")
                                  : tr("Make the selected earlier version the active one again"));
}

} // namespace qc::ui
