#include "baselinewidget.h"

#include "policy/policyjson.h"
#include "services/databaseworker.h"
#include "services/session.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qc::ui {

namespace {

// Items of the box: what they load.
enum class Item { Active, Version, Default, File, Inline };

QVariant itemData(Item item, qint64 id = 0)
{
    return QVariantList { static_cast<int>(item), id };
}

} // namespace

BaselineWidget::BaselineWidget(services::Session* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_box(new QComboBox(this))
    , m_info(new QLabel(this))
    , m_copy(new QPushButton(tr("Copy into candidate"), this))
{
    m_box->setObjectName(u"baselineChoice"_s);
    m_info->setObjectName(u"baselineInfo"_s);
    m_info->setWordWrap(true);
    m_copy->setToolTip(tr("Start the candidate from the baseline (replaces the candidate's text)"));
    auto* row = new QHBoxLayout;
    row->addWidget(m_box, 1);
    row->addWidget(m_copy);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_info);
    connect(m_box, &QComboBox::activated, this, &BaselineWidget::choose);
    connect(m_copy, &QPushButton::clicked, this, &BaselineWidget::copyToCandidateRequested);
    rebuildBox();
}

void BaselineWidget::rebuildBox()
{
    const QSignalBlocker block(m_box);
    m_box->clear();
    const bool db = m_session && m_session->isActive();
    if (db) {
        m_box->addItem(tr("Active policy version"), itemData(Item::Active));
        for (const replay::PolicyVersion& v : std::as_const(m_versions)) {
            const QString reason = v.reason.size() > 50 ? v.reason.left(49) % u'…' : v.reason;
            m_box->addItem(tr("Version %1%2 — %3")
                               .arg(v.id)
                               .arg(v.active ? tr(" (active)") : QString(), reason),
                itemData(Item::Version, v.id));
        }
    }
    m_box->addItem(tr("Built-in default policy"), itemData(Item::Default));
    if (m_state.spec.kind == simulation::WorkspaceBaseline::Kind::File)
        m_box->addItem(m_state.spec.path, itemData(Item::File));
    if (m_state.spec.kind == simulation::WorkspaceBaseline::Kind::Inline)
        m_box->addItem(tr("Policy saved with the workspace"), itemData(Item::Inline));
    m_box->addItem(tr("Policy file…"), itemData(Item::File, -1));
    // Show what is loaded.
    using Kind = simulation::WorkspaceBaseline::Kind;
    Item current = Item::Default;
    qint64 id = 0;
    switch (m_state.spec.kind) {
    case Kind::ActiveVersion:
        current = Item::Active;
        break;
    case Kind::Version:
        current = Item::Version;
        id = m_state.spec.versionId;
        break;
    case Kind::File:
        current = Item::File;
        break;
    case Kind::Inline:
        current = Item::Inline;
        break;
    case Kind::Default:
        break;
    }
    const int at = m_box->findData(itemData(current, id));
    if (at >= 0)
        m_box->setCurrentIndex(at);
}

void BaselineWidget::setVersions(const QList<replay::PolicyVersion>& versions)
{
    m_versions = versions;
    rebuildBox();
}

void BaselineWidget::choose(int index)
{
    const QVariantList item = m_box->itemData(index).toList();
    if (item.size() != 2)
        return;
    simulation::WorkspaceBaseline spec;
    switch (static_cast<Item>(item.at(0).toInt())) {
    case Item::Active:
        spec.kind = simulation::WorkspaceBaseline::Kind::ActiveVersion;
        break;
    case Item::Version:
        spec.kind = simulation::WorkspaceBaseline::Kind::Version;
        spec.versionId = item.at(1).toLongLong();
        break;
    case Item::Default:
        spec.kind = simulation::WorkspaceBaseline::Kind::Default;
        break;
    case Item::Inline:
        return; // already loaded
    case Item::File: {
        if (item.at(1).toLongLong() == 0)
            return; // the file loaded now
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Baseline policy"), {}, tr("Policies (*.json);;All files (*)"));
        if (path.isEmpty()) {
            rebuildBox();
            return;
        }
        spec.kind = simulation::WorkspaceBaseline::Kind::File;
        spec.path = path;
        break;
    }
    }
    setBaseline(spec);
}

void BaselineWidget::setBaseline(const simulation::WorkspaceBaseline& spec)
{
    ++m_request;
    m_state = State {};
    m_state.spec = spec;
    using Kind = simulation::WorkspaceBaseline::Kind;
    switch (spec.kind) {
    case Kind::Default:
        m_state.policy = policy::defaultPolicy();
        m_state.json = policy::defaultPolicyJson();
        m_state.name = tr("default policy");
        break;
    case Kind::File: {
        policy::LoadResult r = policy::loadPolicyFile(spec.path);
        m_state.name = spec.path;
        if (r.ok()) {
            m_state.policy = std::move(r.policy);
            QFile file(spec.path);
            if (file.open(QIODevice::ReadOnly))
                m_state.json = file.readAll();
        } else {
            m_state.error = r.errorText();
        }
        break;
    }
    case Kind::Inline: {
        policy::LoadResult r = policy::parsePolicy(spec.policyJson);
        m_state.name = tr("policy saved with the workspace");
        m_state.json = spec.policyJson;
        if (r.ok())
            m_state.policy = std::move(r.policy);
        else
            m_state.error = r.errorText();
        break;
    }
    case Kind::ActiveVersion:
    case Kind::Version:
        loadVersion(
            spec.kind == Kind::Version ? spec.versionId : 0, spec.kind == Kind::ActiveVersion);
        return;
    }
    finish();
}

void BaselineWidget::reload()
{
    setBaseline(m_state.spec);
}

void BaselineWidget::loadVersion(qint64 id, bool active)
{
    if (!m_session || !m_session->primary()) {
        m_state.error = tr("Connect to a quota database to compare with its policy versions.");
        m_state.name = active ? tr("active policy version") : tr("policy version %1").arg(id);
        finish();
        return;
    }
    m_state.loading = true;
    m_state.name = active ? tr("active policy version") : tr("policy version %1").arg(id);
    finish();
    const quint64 request = m_request;
    m_session->primary()->post<replay::PolicyVersionResult>(
        u"simulate/baseline"_s, this,
        [id](QSqlDatabase& db) { return replay::loadPolicyVersion(db, id); },
        [this, request, active](const services::JobOutcome<replay::PolicyVersionResult>& o) {
            if (request != m_request)
                return;
            m_state.loading = false;
            if (!o.ran()) {
                m_state.error = o.error;
            } else if (!o.value.ok()) {
                m_state.error = o.value.error;
            } else {
                const replay::PolicyVersion& v = *o.value.version;
                m_state.policy = o.value.policy;
                m_state.json = v.json;
                m_state.versionId = v.id;
                m_state.name
                    = tr("policy version %1").arg(v.id) % (v.active ? tr(" (active)") : QString());
                Q_UNUSED(active)
            }
            finish();
        });
}

void BaselineWidget::finish()
{
    rebuildBox();
    m_copy->setEnabled(m_state.ready());
    if (m_state.loading) {
        m_info->setStyleSheet(QString());
        m_info->setText(tr("Reading %1…").arg(m_state.name));
    } else if (!m_state.error.isEmpty()) {
        m_info->setStyleSheet(u"color: #b3261e;"_s);
        m_info->setText(tr("This baseline cannot be used: %1").arg(m_state.error));
    } else {
        const enforcement::Policy& p = *m_state.policy;
        m_info->setStyleSheet(QString());
        m_info->setText(
            tr("%1: %n rule(s), ", nullptr, static_cast<int>(p.rules.size())).arg(m_state.name)
            % tr("%n plan(s), ", nullptr, static_cast<int>(p.plans.size()))
            % tr("%n abuse pattern(s).", nullptr, static_cast<int>(p.abuse.size())));
    }
    Q_EMIT changed();
}

} // namespace qc::ui
